namespace Vireo.HostCheck;

public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
    Skip,
}

/// <summary>One readiness check: a stable name, what it looked at and found, and for WARN/FAIL what to do.</summary>
/// <param name="Name">Stable identifier, e.g. "kvm.access".</param>
/// <param name="Title">What is checked, as virt-host-validate words it ("Checking ...").</param>
/// <param name="Detail">What was found, where, with the value.</param>
/// <param name="Fix">One sentence, with the command where there is one; null for PASS and SKIP.</param>
/// <param name="NeedsLibvirt">The check reads libvirt's answers (it FAILs when libvirt does not answer).</param>
public sealed record HostCheck(string Name, string Title, CheckStatus Status, string Detail, string? Fix = null, bool NeedsLibvirt = false);

/// <summary>The virt_type and cpu_mode this host should use, and why.</summary>
/// <param name="VirtType">"kvm" or "qemu"; null when neither is known to work here.</param>
/// <param name="CpuMode">"host-model", "host-passthrough", "custom" or "none"; null with <paramref name="VirtType"/>.</param>
/// <param name="CpuModels">For custom: the model to configure.</param>
public sealed record HostRecommendation(string? VirtType, string? CpuMode, IReadOnlyList<string> Reasons, string? CpuModels = null)
{
    /// <summary>The nova.conf lines to write.</summary>
    public IReadOnlyList<string> ConfigLines =>
        VirtType is null
            ? []
            : CpuModels is null
                ? ["[libvirt]", $"virt_type = {VirtType}", $"cpu_mode = {CpuMode}"]
                : ["[libvirt]", $"virt_type = {VirtType}", $"cpu_mode = {CpuMode}", $"cpu_models = {CpuModels}"];
}

/// <summary>Every check, the recommendation and the exit code of <c>vireo host check</c>.</summary>
public sealed record HostCheckReport(HostCheckConfig Config, string Arch, IReadOnlyList<HostCheck> Checks, HostRecommendation Recommendation, bool LibvirtAnswered)
{
    public int Passed => Checks.Count(c => c.Status == CheckStatus.Pass);

    public int Warnings => Checks.Count(c => c.Status == CheckStatus.Warn);

    public int Failed => Checks.Count(c => c.Status == CheckStatus.Fail);

    public int Skipped => Checks.Count(c => c.Status == CheckStatus.Skip);

    /// <summary>docs/architecture.md: 0 all pass, 1 warnings, 2 failures.</summary>
    public int ExitCode => Failed > 0 ? 2 : Warnings > 0 ? 1 : 0;

    /// <summary>
    /// The failures that make the configuration unrunnable here: <c>vireo serve</c> refuses to start
    /// on them. When libvirt does not answer, its checks are left out: the service waits for
    /// libvirt instead (that is an outage, not a configuration the host cannot run).
    /// </summary>
    public IReadOnlyList<HostCheck> Blocking =>
        [.. Checks.Where(c => c.Status == CheckStatus.Fail && (LibvirtAnswered || !c.NeedsLibvirt))];
}
