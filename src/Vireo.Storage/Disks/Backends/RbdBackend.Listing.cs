using Vireo.Core.Ports;
using Vireo.Storage.Rbd;

namespace Vireo.Storage.Disks.Backends;

public sealed partial class RbdBackend
{
    /// <summary>The pool's instance disks (<c>&lt;uuid&gt;_*</c>) with their sizes, one <c>rbd ls --long</c>; bases are never among them.</summary>
    public async Task<IReadOnlyList<OutsideDisk>> ListDisksAsync(CancellationToken cancellationToken)
    {
        var images = await _rbd.ListWithSizesAsync(cancellationToken).ConfigureAwait(false);
        return InstanceDisksIn(_rbd.Settings.Pool, images);
    }

    /// <summary>
    /// Pure: the images named <c>&lt;instance uuid&gt;_*</c> (<see cref="DiskName"/> and any
    /// sibling such as <c>_disk.local</c>), as <c>pool/image</c>. A base is named by its image id
    /// alone (<see cref="BaseName"/>), and one being imported <c>&lt;image id&gt;-importing-*</c>:
    /// neither has the underscore, so neither is an instance's disk.
    /// </summary>
    public static IReadOnlyList<OutsideDisk> InstanceDisksIn(string pool, IEnumerable<RbdListedImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return [.. images
            .Select(image => (Image: image, Id: OutsideDisk.InstanceIdOf(image.Name)))
            .Where(entry => entry.Id is not null)
            .Select(entry => new OutsideDisk(entry.Id!.Value, OutsideDiskKind.RbdImage, pool + "/" + entry.Image.Name, entry.Image.SizeBytes))
            .OrderBy(disk => disk.Name, StringComparer.Ordinal)];
    }
}
