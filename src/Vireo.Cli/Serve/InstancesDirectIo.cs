using Vireo.Storage.HostFacts;

namespace Vireo.Cli.Serve;

/// <summary>
/// Whether instances_path accepts O_DIRECT (the disk cache mode: none, else writeback, as Nova's
/// nova/virt/libvirt/driver.py disk_cachemode), read once at start: the start-up host check
/// already probed it, so serve takes that fact and probes only when the check was skipped or could
/// not try.
/// </summary>
public static class InstancesDirectIo
{
    /// <param name="checkedDirectory">The instances directory as the host check read it; null when the check did not run.</param>
    /// <param name="probe">The O_DIRECT probe, run only when <paramref name="checkedDirectory"/> gives no answer.</param>
    public static bool Resolve(DirectoryFacts? checkedDirectory, Func<bool> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return checkedDirectory?.DirectIo ?? probe();
    }
}
