using Vireo.Core.Ports;

namespace Vireo.Storage.Disks.Backends;

public sealed partial class LvmBackend
{
    /// <summary>The group's instance volumes (<c>&lt;uuid&gt;_*</c>) with their sizes, one <see cref="ListCommand"/>.</summary>
    public async Task<IReadOnlyList<OutsideDisk>> ListDisksAsync(CancellationToken cancellationToken)
    {
        var listing = await RunAsync(ListCommand(_tools, _settings.VolumeGroup), cancellationToken).ConfigureAwait(false);
        return InstanceVolumesIn(_settings.VolumeGroup, ParseVolumes(listing.StandardOutput));
    }

    /// <summary>Pure: the volumes named <c>&lt;instance uuid&gt;_*</c> (nova/virt/libvirt/driver.py _lvm_disks), as <c>vg/lv</c>; any other volume of the group is not an instance's.</summary>
    public static IReadOnlyList<OutsideDisk> InstanceVolumesIn(string volumeGroup, IEnumerable<(string Name, long SizeBytes)> volumes)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        return [.. volumes
            .Select(volume => (Volume: volume, Id: OutsideDisk.InstanceIdOf(volume.Name)))
            .Where(entry => entry.Id is not null)
            .Select(entry => new OutsideDisk(entry.Id!.Value, OutsideDiskKind.LogicalVolume, volumeGroup + "/" + entry.Volume.Name, entry.Volume.SizeBytes))
            .OrderBy(disk => disk.Name, StringComparer.Ordinal)];
    }
}
