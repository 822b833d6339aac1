namespace Vireo.Core.Ports;

/// <summary>Where an image backend keeps a disk it made outside the instance directory.</summary>
public enum OutsideDiskKind
{
    /// <summary>An RBD image in <c>[libvirt] images_rbd_pool</c>.</summary>
    RbdImage,

    /// <summary>A logical volume in <c>[libvirt] images_volume_group</c>.</summary>
    LogicalVolume,
}

/// <summary>
/// A disk the image backend holds for an instance outside its instance directory, named
/// <c>&lt;instance uuid&gt;_*</c> as Nova names them (<c>_disk</c>, <c>_disk.local</c>, <c>_disk.swap</c>).
/// Its name alone ties it to an instance id, never to an installation: a row of this installation
/// is the proof that lets it go.
/// </summary>
/// <param name="Name">Where it is, as its tool spells it: <c>pool/image</c> or <c>vg/lv</c>.</param>
/// <param name="SizeBytes">Its provisioned size, when the listing gives it.</param>
public sealed record OutsideDisk(Guid InstanceId, OutsideDiskKind Kind, string Name, long? SizeBytes)
{
    /// <summary>The instance id a name <c>&lt;uuid&gt;_*</c> starts with (lowercase, as Vireo writes it); null for any other name.</summary>
    public static Guid? InstanceIdOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        const int UuidLength = 36;
        if (name.Length <= UuidLength + 1 || name[UuidLength] != '_')
        {
            return null;
        }

        var prefix = name[..UuidLength];
        return Guid.TryParseExact(prefix, "D", out var id) && string.Equals(id.ToString("D"), prefix, StringComparison.Ordinal) ? id : null;
    }
}
