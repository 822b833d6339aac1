using System.Globalization;
using Vireo.Core.Ports;

namespace Vireo.Core;

/// <summary>How a snapshot copies the root disk.</summary>
public enum SnapshotMethod
{
    /// <summary>The guest runs and the hypervisor copies the disk it has open.</summary>
    Live,

    /// <summary>The guest is off and the storage copies its disk.</summary>
    Cold,

    /// <summary>The guest runs and the storage snapshots its disk itself (rbd), crash-consistent.</summary>
    StorageSnapshot,
}

/// <summary>
/// The image a snapshot makes, decided from the instance and its source image before anything is
/// copied (nova/compute/api.py snapshot and _create_image; nova/virt/libvirt/driver.py snapshot).
/// </summary>
public static class SnapshotImage
{
    public const string ImageTypeKey = "image_type";
    public const string ImageTypeSnapshot = "snapshot";
    public const string InstanceUuidKey = "instance_uuid";
    public const string BaseImageRefKey = "base_image_ref";

    /// <summary>Nova's longest image name (Glance's column) and the longest property value it keeps.</summary>
    public const int MaxNameLength = 255;

    /// <summary>
    /// The snapshot's format: the source image's when it is raw or qcow2 (the libvirt driver keeps
    /// the disk's source type), qcow2 for anything else.
    /// </summary>
    public static DiskFormat FormatFor(DiskFormat? sourceFormat) =>
        sourceFormat is DiskFormat.Raw or DiskFormat.Qcow2 ? sourceFormat.Value : DiskFormat.Qcow2;

    /// <summary>
    /// The snapshot's properties: the source image's, then the request's metadata, then the three
    /// Nova sets on every snapshot, which win over both.
    /// </summary>
    public static Dictionary<string, string> Properties(
        Guid instanceId, Guid sourceImageId, IReadOnlyDictionary<string, string>? sourceProperties, IReadOnlyDictionary<string, string>? metadata)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in sourceProperties ?? ImageRecord.NoProperties)
        {
            properties[key] = value;
        }

        foreach (var (key, value) in metadata ?? ImageRecord.NoProperties)
        {
            properties[key] = value;
        }

        properties[ImageTypeKey] = ImageTypeSnapshot;
        properties[InstanceUuidKey] = instanceId.ToString("D", CultureInfo.InvariantCulture);
        properties[BaseImageRefKey] = sourceImageId.ToString("D", CultureInfo.InvariantCulture);
        return properties;
    }

    /// <summary>What the image store is asked to register, in <c>saving</c>, before the copy starts.</summary>
    public static Ports.ImageImportRequest Request(string name, Instance instance, ImageRecord? source, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new Ports.ImageImportRequest(
            name,
            FormatFor(source?.DiskFormat),
            "bare",
            Properties(instance.Id, instance.ImageId, source?.Properties, metadata),
            MinDiskGiB: source?.MinDiskGiB ?? 0,
            MinRamMiB: source?.MinRamMiB ?? 0);
    }

    /// <summary>The problem with a snapshot name, or null: required, not blank, at most <see cref="MaxNameLength"/> characters.</summary>
    public static string? NameProblem(string? name) => name switch
    {
        null => "createImage needs a 'name' for the new image, e.g. {\"createImage\": {\"name\": \"web1-backup\"}}",
        _ when string.IsNullOrWhiteSpace(name) => "the new image's 'name' is blank; give it a name",
        { Length: > MaxNameLength } => string.Create(CultureInfo.InvariantCulture, $"the new image's 'name' is {name.Length} characters long; use at most {MaxNameLength}"),
        _ => null,
    };

    /// <summary>
    /// When the guest runs (or is paused: its QEMU process is there) the backend's way of copying a
    /// running disk decides; when it is off the storage copies it. Null with a refusal when the
    /// backend cannot copy a running guest's disk.
    /// </summary>
    public static (SnapshotMethod? Method, string? Refusal) Decide(PowerState power, RunningDiskCopy runningCopy, string instanceLabel) =>
        power is PowerState.Running or PowerState.Paused
            ? runningCopy switch
            {
                RunningDiskCopy.Hypervisor => (SnapshotMethod.Live, null),
                RunningDiskCopy.Storage => (SnapshotMethod.StorageSnapshot, null),
                RunningDiskCopy.Refused refused => (null, $"{instanceLabel} is running and cannot be snapshotted live: {refused.Reason}"),
                _ => throw new ArgumentOutOfRangeException(nameof(runningCopy), runningCopy, "not a way of copying a running disk"),
            }
            : (SnapshotMethod.Cold, null);
}
