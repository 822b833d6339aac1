using Vireo.DomainXml;

namespace Vireo.Virt;

/// <summary>
/// The cache mode of the guests' file-backed disks, as Nova's <c>LibvirtDriver</c> decides it:
/// <c>none</c> when instances_path supports O_DIRECT, <c>writeback</c> when it does not, and
/// <c>[libvirt] disk_cachemodes</c>' <c>file=&lt;mode&gt;</c> over both; except that <c>none</c>
/// without O_DIRECT would stop QEMU from opening any disk, so it becomes <c>writeback</c> with a warning.
/// </summary>
public static class DiskCachePolicy
{
    /// <param name="cacheModes">[libvirt] disk_cachemodes as type → mode (the config check has validated the modes).</param>
    /// <param name="directIo">Whether instances_path supports O_DIRECT.</param>
    public static (DiskCache Mode, string? Warning) Choose(IReadOnlyDictionary<string, string> cacheModes, bool directIo)
    {
        ArgumentNullException.ThrowIfNull(cacheModes);
        var automatic = directIo ? DiskCache.None : DiskCache.Writeback;
        if (!cacheModes.TryGetValue("file", out var configured) || !DiskCacheNames.TryParse(configured.Trim(), out var mode))
        {
            return (automatic, null);
        }

        if (mode == DiskCache.None && !directIo)
        {
            return (DiskCache.Writeback,
                "[libvirt] disk_cachemodes asks file=none but instances_path does not support O_DIRECT, with which QEMU could not open the disks; using writeback");
        }

        return (mode, null);
    }
}
