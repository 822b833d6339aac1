namespace Vireo.Core.Ports;

/// <summary>
/// Where a guest disk's bytes are: a closed set, one case per libvirt disk type (formatdomain
/// "Hard drives, floppy disks, CDROMs": <c>&lt;disk type='file|block|network'&gt;</c>). The image
/// backend that made the disk says which; everything above it passes the source through.
/// </summary>
public abstract record DiskSource
{
    private DiskSource()
    {
    }

    /// <summary>A file on the host (qcow2 and flat backends): <c>&lt;source file/&gt;</c>.</summary>
    /// <param name="Path">Absolute path of the file.</param>
    public sealed record File(string Path) : DiskSource;

    /// <summary>A block device on the host (lvm backend): <c>&lt;source dev/&gt;</c>.</summary>
    /// <param name="DevicePath">Absolute path of the device, e.g. <c>/dev/vg/&lt;uuid&gt;_disk</c>.</param>
    public sealed record Block(string DevicePath) : DiskSource;

    /// <summary>
    /// A Ceph RBD image reached over the network (rbd backend): <c>&lt;source protocol='rbd'
    /// name='pool/image'&gt;</c> with a <c>&lt;host&gt;</c> per monitor and, when cephx is on,
    /// <c>&lt;auth username&gt;&lt;secret type='ceph' uuid/&gt;&lt;/auth&gt;</c>
    /// (nova/virt/libvirt/imagebackend.py Rbd.libvirt_info).
    /// </summary>
    /// <param name="Pool">The Ceph pool (<c>[libvirt] images_rbd_pool</c>).</param>
    /// <param name="Image">The RBD image name in the pool, e.g. <c>&lt;uuid&gt;_disk</c>.</param>
    /// <param name="Monitors">The monitors QEMU connects to; empty lets librbd read ceph.conf.</param>
    /// <param name="AuthUsername">The cephx user (<c>[libvirt] rbd_user</c>); null: no auth element.</param>
    /// <param name="SecretUuid">The libvirt secret holding that user's key (<c>[libvirt] rbd_secret_uuid</c>).</param>
    public sealed record Rbd(string Pool, string Image, IReadOnlyList<NetworkHost> Monitors, string? AuthUsername, Guid? SecretUuid) : DiskSource
    {
        /// <summary><c>pool/image</c>, the source's name attribute.</summary>
        public string Name => Pool + "/" + Image;

        public bool Equals(Rbd? other) =>
            other is not null && Pool == other.Pool && Image == other.Image && AuthUsername == other.AuthUsername
            && SecretUuid == other.SecretUuid && Monitors.SequenceEqual(other.Monitors);

        public override int GetHashCode() => HashCode.Combine(Pool, Image, AuthUsername, SecretUuid, Monitors.Count);
    }

    /// <summary>For messages: the path, the device or <c>rbd:pool/image</c>.</summary>
    public string Describe() => this switch
    {
        File file => file.Path,
        Block block => block.DevicePath,
        Rbd rbd => "rbd:" + rbd.Name,
        _ => throw new InvalidOperationException("unknown disk source"),
    };
}

/// <summary>A network disk's server: <c>&lt;host name port/&gt;</c>; port null lets QEMU use the protocol's (6789 for a Ceph monitor).</summary>
public sealed record NetworkHost(string Name, int? Port);
