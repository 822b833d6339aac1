using Vireo.Storage.HostFacts;

namespace Vireo.Storage.Disks.Backends;

/// <summary>Nova's image backends (nova/virt/libvirt/imagebackend.py: Qcow2, Flat, Lvm, Rbd).</summary>
public enum ImageBackendKind
{
    Qcow2,
    Flat,
    Lvm,
    Rbd,
}

/// <summary>What the choice of the image backend is made from, all read before the service starts.</summary>
/// <param name="ImagesType"><c>[libvirt] images_type</c> as written (default, qcow2, flat, raw, lvm, rbd).</param>
/// <param name="UseCowImages"><c>[DEFAULT] use_cow_images</c>: what <c>default</c> means.</param>
/// <param name="Lvm">The storage host facts for lvm (volume groups, device-mapper); null when not read.</param>
/// <param name="Rbd">What rbd needs on this host; null when it could not be read (unknown: rbd is refused).</param>
public sealed record ImageBackendFacts(string ImagesType, bool UseCowImages, LvmFacts? Lvm = null, RbdBackendFacts? Rbd = null);

/// <summary>What images_type = rbd needs, read at start.</summary>
/// <param name="RbdTool">The rbd executable found (Debian's ceph-common); null when it is missing.</param>
/// <param name="CephConf">The effective <c>images_rbd_ceph_conf</c>.</param>
/// <param name="CephConfError">What is wrong with that file (missing, unreadable, no usable mon_host), as a clause; null when its monitors were read.</param>
/// <param name="SecretUuid"><c>[libvirt] rbd_secret_uuid</c>; null when unset.</param>
public sealed record RbdBackendFacts(string? RbdTool, string CephConf, string? CephConfError, Guid? SecretUuid);

/// <summary>The backend, a warning to log once at start, or why the service must not start with it.</summary>
/// <param name="Refusal">One sentence naming the option, the value, the reason and the fix; null when the backend is served.</param>
public sealed record ImageBackendDecision(ImageBackendKind? Backend, string? Warning = null, string? Refusal = null);

/// <summary>
/// The image backend, chosen once from the configuration: a table of rows over
/// <see cref="ImageBackendFacts"/>, the first that matches decides. Nova's
/// <c>imagebackend.Backend.__init__</c>: <c>raw</c> is the old name of flat, <c>default</c> is
/// qcow2 when use_cow_images is true, else flat. lvm is served when the host has device-mapper
/// and the volume group, and refused with the host's own reason otherwise; rbd is served when the
/// rbd tool, a ceph.conf with monitors and rbd_secret_uuid are there, and refused when those facts
/// are unknown (never read), as lvm is.
/// </summary>
public static class ImageBackendSelection
{
    private const string Fix = "set [libvirt] images_type = qcow2 or flat";

    /// <summary>One row of the table: when it applies, and what it decides.</summary>
    public sealed record Row(string Name, Func<ImageBackendFacts, bool> When, Func<ImageBackendFacts, ImageBackendDecision> Then);

    public static IReadOnlyList<Row> Rows { get; } =
    [
        new("qcow2", f => Is(f, "qcow2"), _ => new(ImageBackendKind.Qcow2)),
        new("flat", f => Is(f, "flat"), _ => new(ImageBackendKind.Flat)),
        new("raw", f => Is(f, "raw"), _ => new(
            ImageBackendKind.Flat,
            Warning: "[libvirt] images_type = raw is deprecated (Nova's old name of flat); the flat backend is used: write images_type = flat")),
        new("default, use_cow_images true", f => Is(f, "default") && f.UseCowImages, _ => new(ImageBackendKind.Qcow2)),
        new("default, use_cow_images false", f => Is(f, "default") && !f.UseCowImages, _ => new(ImageBackendKind.Flat)),
        new("rbd, no rbd tool", f => Is(f, "rbd") && f.Rbd is { RbdTool: null }, _ => new(
            ImageBackendKind.Rbd,
            Refusal: $"[libvirt] images_type = rbd cannot be used: the rbd tool is missing on this host; install the Debian package ceph-common or {Fix}")),
        new("rbd, ceph.conf unusable", f => Is(f, "rbd") && f.Rbd is { CephConfError: not null }, f => new(
            ImageBackendKind.Rbd,
            Refusal: $"[libvirt] images_type = rbd cannot be used: [libvirt] images_rbd_ceph_conf = {f.Rbd!.CephConf} {f.Rbd.CephConfError}; point images_rbd_ceph_conf at the cluster's ceph.conf with its mon_host or {Fix}")),
        new("rbd, no secret", f => Is(f, "rbd") && f.Rbd is { SecretUuid: null }, _ => new(
            ImageBackendKind.Rbd,
            Refusal: $"[libvirt] images_type = rbd cannot be used: [libvirt] rbd_secret_uuid is unset, so libvirt has no key to open the disks with; set it to the UUID of the libvirt secret holding rbd_user's key or {Fix}")),
        new("rbd", f => Is(f, "rbd") && f.Rbd is not null, _ => new(ImageBackendKind.Rbd)),
        new("rbd, facts unknown", f => Is(f, "rbd"), _ => new(
            ImageBackendKind.Rbd,
            Refusal: $"[libvirt] images_type = rbd cannot be used: this host's rbd facts (the rbd tool, images_rbd_ceph_conf, rbd_secret_uuid) could not be read; check that ceph-common is installed and images_rbd_ceph_conf is readable, or {Fix}")),
        new("lvm, no device-mapper", f => Is(f, "lvm") && f.Lvm?.DeviceMapper == false, _ => new(
            ImageBackendKind.Lvm,
            Refusal: $"[libvirt] images_type = lvm cannot be used: this host has no device-mapper (/dev/mapper/control is missing), so no logical volume can be made; {Fix}")),
        new("lvm, volume group missing", f => Is(f, "lvm") && f.Lvm is { VolumeGroups: { } groups, VolumeGroup: { } group } && !groups.Contains(group, StringComparer.Ordinal), f => new(
            ImageBackendKind.Lvm,
            Refusal: $"[libvirt] images_type = lvm cannot be used: the volume group {f.Lvm!.VolumeGroup} (images_volume_group) is missing on this host; {Fix}")),
        new("lvm", f => Is(f, "lvm") && f.Lvm is { DeviceMapper: true, VolumeGroups: { } groups, VolumeGroup: { } group } && groups.Contains(group, StringComparer.Ordinal),
            _ => new(ImageBackendKind.Lvm)),
        new("lvm, facts unknown", f => Is(f, "lvm"), f => new(
            ImageBackendKind.Lvm,
            Refusal: $"[libvirt] images_type = lvm cannot be used: this host's volume groups could not be read ({f.Lvm?.Error ?? "no LVM facts"}); install lvm2 and check that vgs lists images_volume_group, or {Fix}")),
        new("anything else", _ => true, f => new(
            null,
            Refusal: $"[libvirt] images_type = {f.ImagesType} cannot be used: it is not an image backend Vireo knows; {Fix}")),
    ];

    /// <summary>The decision of the first row that matches <paramref name="facts"/>.</summary>
    public static ImageBackendDecision Decide(ImageBackendFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Rows.First(row => row.When(facts)).Then(facts);
    }

    private static bool Is(ImageBackendFacts facts, string type) =>
        string.Equals(facts.ImagesType.Trim(), type, StringComparison.Ordinal);
}
