using System.Globalization;
using System.Text.Json;
using Vireo.Core;

namespace Vireo.Storage.Qemu;

/// <summary>
/// <c>qemu-img info --output=json</c> as read with an explicit <c>-f</c>: what QEMU sees when
/// it opens the file as that format.
/// </summary>
/// <param name="Format">The driver qemu-img opened it with (always the <c>-f</c> given).</param>
/// <param name="BackingFilename">The backing file name as written in the image, or null.</param>
/// <param name="FullBackingFilename">That name resolved against the image's directory, or null.</param>
/// <param name="BackingFilenameFormat">The backing format recorded in the image, or null.</param>
/// <param name="FormatSpecific">The <c>format-specific</c> object (qcow2: compat, data-file...), or null.</param>
/// <param name="Json">qemu-img's whole answer, for fields not modelled here.</param>
public sealed record ImageInfo(
    string Format,
    long VirtualSizeBytes,
    long? ActualSizeBytes,
    string? BackingFilename,
    string? FullBackingFilename,
    string? BackingFilenameFormat,
    long? ClusterSizeBytes,
    bool? DirtyFlag,
    FormatSpecificInfo? FormatSpecific,
    string Json)
{
    public bool HasBackingFile => BackingFilename is not null || FullBackingFilename is not null;

    /// <summary>The qcow2 external data file (<c>format-specific.data.data-file</c>), or null.</summary>
    public string? DataFile => FormatSpecific?.DataFile;

    /// <summary>Parses qemu-img's JSON; <see cref="ErrorKind.Failed"/> when it is not what qemu-img prints.</summary>
    public static ImageInfo Parse(string json, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new ImageInfo(
                Format: String(root, "format") ?? throw Missing("format"),
                VirtualSizeBytes: Int64(root, "virtual-size") ?? throw Missing("virtual-size"),
                ActualSizeBytes: Int64(root, "actual-size"),
                BackingFilename: String(root, "backing-filename"),
                FullBackingFilename: String(root, "full-backing-filename"),
                BackingFilenameFormat: String(root, "backing-filename-format"),
                ClusterSizeBytes: Int64(root, "cluster-size"),
                DirtyFlag: Boolean(root, "dirty-flag"),
                FormatSpecific: root.TryGetProperty("format-specific", out var specific) && specific.ValueKind == JsonValueKind.Object
                    ? FormatSpecificInfo.Read(specific)
                    : null,
                Json: json);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            throw new VireoException(ErrorKind.Failed, $"qemu-img info for {path} printed something that is not its JSON ({exception.Message}); check the qemu-img version", exception);
        }

        static InvalidOperationException Missing(string name) => new($"no \"{name}\" field");
    }

    internal static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static long? Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    internal static bool? Boolean(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Format}, {VirtualSizeBytes} bytes virtual{(HasBackingFile ? $", backed by {BackingFilename ?? FullBackingFilename}" : "")}");
}

/// <summary>
/// qemu-img's <c>format-specific</c> object. qcow2 fills <see cref="Compat"/>,
/// <see cref="DataFile"/>, <see cref="DataFileRaw"/>, <see cref="Corrupt"/>,
/// <see cref="LazyRefcounts"/>, <see cref="CompressionType"/>; vmdk fills <see cref="CreateType"/>.
/// </summary>
/// <param name="Type">The driver the data belongs to (qcow2, vmdk, luks...).</param>
public sealed record FormatSpecificInfo(
    string Type,
    string? Compat,
    string? DataFile,
    bool? DataFileRaw,
    bool? Corrupt,
    bool? LazyRefcounts,
    string? CompressionType,
    string? CreateType)
{
    internal static FormatSpecificInfo Read(JsonElement specific)
    {
        var type = ImageInfo.String(specific, "type") ?? "";
        if (!specific.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return new FormatSpecificInfo(type, null, null, null, null, null, null, null);
        }

        return new FormatSpecificInfo(
            type,
            Compat: ImageInfo.String(data, "compat"),
            DataFile: ImageInfo.String(data, "data-file"),
            DataFileRaw: ImageInfo.Boolean(data, "data-file-raw"),
            Corrupt: ImageInfo.Boolean(data, "corrupt"),
            LazyRefcounts: ImageInfo.Boolean(data, "lazy-refcounts"),
            CompressionType: ImageInfo.String(data, "compression-type"),
            CreateType: ImageInfo.String(data, "create-type"));
    }
}
