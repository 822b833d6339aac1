using Vireo.Core;
using Vireo.ImageFormats;
using Vireo.Storage.Qemu;

namespace Vireo.Storage.Images;

/// <summary>What a file passed: its format as QEMU must be told it, and the sizes QEMU reports.</summary>
/// <param name="DiskFormat">The format it was checked as (raw, qcow2, qed, vmdk, ...).</param>
/// <param name="Subformat">The inspector's detail (VMDK createType, VHD fixed/dynamic, qcow2 version), or null.</param>
/// <param name="Info">qemu-img's own reading of the file with that explicit format.</param>
public sealed record CheckedContent(DiskFormat DiskFormat, string? Subformat, ImageInfo Info)
{
    public long VirtualSizeBytes => Info.VirtualSizeBytes;
}

/// <summary>Why a file was refused: every problem found, each with its stable name.</summary>
public sealed record ContentRefusal(IReadOnlyList<Violation> Violations)
{
    /// <summary>"reason [name]; reason [name]": every problem in one line.</summary>
    public string Describe() => string.Join("; ", Violations.Select(v => $"{v.Message} [{v.Name}]"));
}

/// <summary>
/// The two checks every image file passes before QEMU may open it, at import and again before
/// each use of a cached base: the in-process inspector (declared format equals the content,
/// no backing, data, extent or parent file, allowed VMDK subformat, one format only), then
/// <c>qemu-img info</c> with that explicit format under prlimit (QEMU can read it, and sees no
/// backing or data file either). Nothing here lets QEMU probe a format.
/// </summary>
public sealed class ImageContentCheck
{
    private readonly StorageSettings _settings;
    private readonly QemuImg _qemuImg;

    public ImageContentCheck(StorageSettings settings, QemuImg qemuImg)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(qemuImg);
        _settings = settings;
        _qemuImg = qemuImg;
    }

    /// <summary>Runs the inspector alone over the file, as <paramref name="declaredFormat"/>.</summary>
    public InspectionResult Inspect(string path, DiskFormat declaredFormat) => InspectFile(path, declaredFormat.Name(), _settings.VmdkAllowedTypes);

    /// <summary>The inspector over a file (at most <see cref="ImageInspector.MaxBytesRead"/> read); a null format checks the content alone.</summary>
    public static InspectionResult InspectFile(string path, string? declaredFormat, IReadOnlyList<string> vmdkAllowedTypes)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite,
            BufferSize = 0,
        });
        return ImageInspector.Inspect(stream, new InspectOptions { DeclaredFormat = declaredFormat, VmdkAllowedTypes = vmdkAllowedTypes });
    }

    /// <summary>
    /// Checks the file as <paramref name="declaredFormat"/>; returns the refusal with every
    /// problem instead of throwing for an unsafe image. qemu-img failing to read the file is a
    /// refusal too (quoting its message); qemu-img missing is thrown (a host problem).
    /// </summary>
    /// <param name="forceShare">For a file a running guest may hold (a base): <c>qemu-img info -U</c>.</param>
    public async Task<(CheckedContent? Content, ContentRefusal? Refusal)> CheckAsync(
        string path, DiskFormat declaredFormat, bool forceShare, CancellationToken cancellationToken)
    {
        var inspection = Inspect(path, declaredFormat);
        if (!inspection.Safe)
        {
            return (null, new ContentRefusal(inspection.Violations));
        }

        // A partitioned disk or an ISO declared as such is opened by QEMU's raw driver.
        var driver = declaredFormat.QemuName();
        ImageInfo info;
        try
        {
            info = await _qemuImg.InfoAsync(path, declaredFormat, forceShare, cancellationToken).ConfigureAwait(false);
        }
        catch (VireoException exception) when (exception.InnerException is QemuImgFailure failure)
        {
            var why = failure.KilledBySignal ? $"it hit its limits ({exception.Message})" : failure.StandardError;
            return (null, Refuse("qemu.unreadable", $"qemu-img cannot read it as {driver}: {why}; rebuild or convert the image"));
        }

        if (info.Format != driver)
        {
            return (null, Refuse("qemu.format-mismatch", $"qemu-img reads it as {info.Format}, not {driver}; register it with its real format"));
        }

        if (info.HasBackingFile)
        {
            return (null, Refuse(ViolationNames.Qcow2BackingFile,
                $"qemu-img sees a backing file '{info.BackingFilename ?? info.FullBackingFilename}', which could point at any host file; flatten it with qemu-img convert first"));
        }

        if (info.DataFile is { } dataFile)
        {
            return (null, Refuse(ViolationNames.Qcow2DataFile,
                $"qemu-img sees an external data file '{dataFile}', which could point at any host file; flatten it with qemu-img convert first"));
        }

        return (new CheckedContent(declaredFormat, inspection.Subformat, info), null);
    }

    private static ContentRefusal Refuse(string name, string message) => new([new Violation(name, message)]);
}
