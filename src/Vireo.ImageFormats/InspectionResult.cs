using Vireo.Core;

namespace Vireo.ImageFormats;

/// <summary>
/// The verdict on one image: what it is, how big a disk it gives the guest, and every reason
/// to refuse it (empty when <see cref="Safe"/>).
/// </summary>
public sealed record InspectionResult
{
    /// <summary>
    /// The format found in the content. A partitioned disk declared raw is reported as
    /// <see cref="DiskFormat.Raw"/> (Nova allows it); with several matches, the one QEMU's probe would pick.
    /// </summary>
    public required DiskFormat DetectedFormat { get; init; }

    /// <summary>The disk size the guest sees, in bytes, as <c>qemu-img info</c> reports it; null when the header is unreadable or, for a raw image, the length is unknown.</summary>
    public required long? VirtualSizeBytes { get; init; }

    /// <summary>A detail of the format: the VMDK createType, VHD fixed/dynamic, qcow2 v2/v3, gpt/mbr.</summary>
    public string? Subformat { get; init; }

    /// <summary>Every format whose header matched (more than one is <see cref="ViolationNames.FormatAmbiguous"/> unless a Nova exception applies).</summary>
    public IReadOnlyList<DiskFormat> Matches { get; init; } = [];

    public IReadOnlyList<Violation> Violations { get; init; } = [];

    /// <summary>How many bytes of the stream were read; never more than <see cref="ImageInspector.MaxBytesRead"/>.</summary>
    public long BytesRead { get; init; }

    public bool Safe => Violations.Count == 0;

    /// <summary>The <c>-f</c> to give QEMU for this image (raw for ISO and partitioned disks, vpc for VHD).</summary>
    public string QemuDriver => DetectedFormat.QemuName();
}
