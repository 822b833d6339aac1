using Vireo.Libvirt;

namespace Vireo.HostCheck;

public sealed record HostCheckRunOptions
{
    /// <summary>Where the host's files are read from ("/" except in tests).</summary>
    public string Root { get; init; } = "/";

    public bool RunProbes { get; init; } = true;

    public TimeSpan ProbeDeadline { get; init; } = AccelerationProbe.DefaultDeadline;

    /// <summary>Where the probe writes its boot sector and serial file (QEMU's user must read it); default: the temp directory.</summary>
    public string? ProbeDirectory { get; init; }
}

/// <summary>Which acceleration probes to run, given what is known so far (pure, so the order is tested without libvirt).</summary>
public static class ProbePlan
{
    /// <summary>
    /// The configured virt type first. When kvm is configured and fails, qemu next: the fix names
    /// it, so it must be proven. When qemu is configured, kvm only when every KVM prerequisite holds
    /// (the recommendation then says whether kvm would be better); otherwise nothing more.
    /// </summary>
    public static string? Next(HostFacts facts, HostCheckConfig config)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(config);
        var configured = config.VirtTypeName;
        if (!facts.Probes.TryGetValue(configured, out var first))
        {
            return configured;
        }

        if (configured == "kvm")
        {
            return first.Outcome != ProbeOutcome.Passed && !facts.Probes.ContainsKey("qemu") ? "qemu" : null;
        }

        var arch = facts.Libvirt.HostArch ?? facts.Kernel.Cpu.Arch;
        return !facts.Probes.ContainsKey("kvm")
            && facts.Libvirt.HasGuest("hvm", arch, "kvm")
            && HostEvaluation.KvmPrerequisites(facts, config).All(c => c.Status != CheckStatus.Fail)
                ? "kvm"
                : null;
    }
}

/// <summary>
/// <c>vireo host check</c> and <c>vireo serve</c>'s start-up check: read every fact (files, libvirt,
/// storage), run the probes the plan asks for, evaluate. Nothing is cached: each call looks again.
/// </summary>
public static class HostReadinessCheck
{
    public static async Task<(HostCheckReport Report, HostFacts Facts)> RunAsync(
        HostCheckConfig config, HostCheckRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new HostCheckRunOptions();
        var tree = new RootedFileTree(options.Root);
        var files = HostFileReader.Read(tree, config.ConnectionUri);
        var storage = await StorageFactsReader.ReadAsync(config.StorageRequest, options.Root, StorageFactsReader.SearchPath(), cancellationToken).ConfigureAwait(false);
        Connection? connection = null;
        LibvirtFacts libvirt;
        try
        {
            connection = await Task.Run(() => Connection.Open(config.ConnectionUri), cancellationToken).ConfigureAwait(false);
            libvirt = await Task.Run(() => LibvirtFactsReader.Read(new ConnectionAnswers(connection), config), cancellationToken).ConfigureAwait(false);
        }
        catch (LibvirtException e)
        {
            libvirt = LibvirtFacts.Unreachable(config.ConnectionUri, e.Message);
        }

        using (connection)
        {
            var facts = new HostFacts
            {
                Kernel = files.Kernel,
                Qemu = files.Qemu,
                CpuModelFeatures = files.CpuModelFeatures,
                Libvirt = libvirt,
                Storage = storage,
            };
            if (connection is not null && libvirt.Answered && options.RunProbes)
            {
                var arch = libvirt.HostArch ?? files.Kernel.Cpu.Arch;
                var directory = options.ProbeDirectory ?? Path.GetTempPath();
                while (ProbePlan.Next(facts, config) is { } virtType)
                {
                    var result = await AccelerationProbe.RunAsync(connection, virtType, arch, directory, options.ProbeDeadline, cancellationToken).ConfigureAwait(false);
                    facts = facts with
                    {
                        Probes = new Dictionary<string, ProbeResult>(facts.Probes, StringComparer.Ordinal) { [virtType] = result },
                    };
                }
            }

            return (HostEvaluation.Evaluate(facts, config), facts);
        }
    }
}
