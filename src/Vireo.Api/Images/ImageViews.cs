using System.Globalization;
using System.Text.Json;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.Tenancy;

namespace Vireo.Api.Images;

/// <summary>Images as Glance v2 shows them (<c>glance/api/v2/images.py</c>, <c>ResponseSerializer</c>).</summary>
internal static class ImageViews
{
    public const string ImagesPath = "/v2/images";
    public const string ImageSchema = "/v2/schemas/image";
    public const string ImagesSchema = "/v2/schemas/images";

    /// <summary>The keys of an image body; a custom property may not use them (Glance: "Attribute ... is reserved").</summary>
    public static IReadOnlySet<string> ReservedKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "name", "status", "visibility", "protected", "os_hidden", "checksum", "os_hash_algo", "os_hash_value",
        "owner", "size", "virtual_size", "min_disk", "min_ram", "disk_format", "container_format", "created_at",
        "updated_at", "tags", "self", "file", "schema", "direct_url", "locations", "deleted", "deleted_at",
    };

    public static string Location(Guid id) => $"{ImagesPath}/{Id(id)}";

    public static ImageView View(ImageRecord image, ComputeApiOptions options)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in image.Properties)
        {
            properties[key] = JsonSerializer.SerializeToElement(value, ApiJsonContext.Default.String);
        }

        return new ImageView
        {
            Id = Id(image.Id),
            Name = image.Name,
            Status = image.Status.ToGlance(),
            Visibility = image.Visibility.ToGlance(),
            Protected = false,
            OsHidden = false,
            Checksum = image.Md5,
            OsHashAlgo = image.Sha256 is null ? null : "sha256",
            OsHashValue = image.Sha256,
            Owner = image.Owner,
            Size = image.SizeBytes,
            VirtualSize = image.VirtualSizeBytes,
            MinDisk = image.MinDiskGiB,
            MinRam = image.MinRamMiB,
            DiskFormat = image.DiskFormat?.Name(),
            ContainerFormat = image.ContainerFormat,
            CreatedAt = Timestamp(image.CreatedAt),
            UpdatedAt = Timestamp(image.UpdatedAt),
            Tags = [],
            Self = Location(image.Id),
            File = Location(image.Id) + "/file",
            Schema = ImageSchema,
            Properties = properties,
        };
    }

    private static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
