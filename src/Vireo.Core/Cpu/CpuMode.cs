namespace Vireo.Core;

/// <summary>
/// How a guest's CPU is chosen, one type from nova.conf to the domain XML. nova.conf's
/// <c>[libvirt] cpu_mode</c> takes host-model, host-passthrough, custom and none
/// (nova/conf/libvirt.py); libvirt's <c>&lt;cpu mode&gt;</c> takes custom, host-model,
/// host-passthrough and maximum (formatdomain, "CPU model and topology"). So <see cref="None"/>
/// never appears in XML (Nova writes a <c>&lt;cpu&gt;</c> with a topology only, which libvirt reads
/// as custom without a model) and <see cref="Maximum"/> never in nova.conf (Nova has no such mode;
/// libvirt reports it for guests it did not define).
/// </summary>
public enum CpuMode
{
    /// <summary>A named model (nova.conf: the first of cpu_models); libvirt's default when the XML gives no mode.</summary>
    Custom,
    HostModel,
    HostPassthrough,

    /// <summary>XML only: the most the hypervisor can give (libvirt 7.0).</summary>
    Maximum,

    /// <summary>nova.conf only: no model at all, QEMU's default CPU.</summary>
    None,
}

/// <summary>nova.conf's words for <see cref="CpuMode"/> and the mode an unset <c>cpu_mode</c> means, each in one place.</summary>
public static class CpuModes
{
    /// <summary>
    /// The mode a guest gets: the configured one, else Nova's default for kvm and qemu, host-model,
    /// except on AArch64, where it is host-passthrough (nova/virt/libvirt/driver.py, _get_guest_cpu_model_config).
    /// </summary>
    public static CpuMode Effective(CpuMode? configured, string arch) =>
        configured ?? (arch == "aarch64" ? CpuMode.HostPassthrough : CpuMode.HostModel);

    /// <summary>nova.conf's spelling of a mode it accepts.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="CpuMode.Maximum"/>, which nova.conf has no word for.</exception>
    public static string NovaName(CpuMode mode) => mode switch
    {
        CpuMode.HostModel => "host-model",
        CpuMode.HostPassthrough => "host-passthrough",
        CpuMode.Custom => "custom",
        CpuMode.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "nova.conf's cpu_mode has no such value"),
    };

    /// <summary>nova.conf's cpu_mode value as a mode; false for anything else (maximum included).</summary>
    public static bool TryParseNova(string? text, out CpuMode mode)
    {
        foreach (var candidate in (CpuMode[])[CpuMode.HostModel, CpuMode.HostPassthrough, CpuMode.Custom, CpuMode.None])
        {
            if (string.Equals(text, NovaName(candidate), StringComparison.Ordinal))
            {
                mode = candidate;
                return true;
            }
        }

        mode = default;
        return false;
    }
}
