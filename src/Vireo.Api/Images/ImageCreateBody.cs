using System.Text.Json;
using System.Text.Json.Nodes;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Api.Images;

/// <summary>
/// Reads Glance's <c>POST /v2/images</c> body: the image fields (<c>name</c>, <c>disk_format</c>,
/// <c>container_format</c>, <c>min_disk</c>, <c>min_ram</c>, <c>visibility</c>, <c>protected</c>,
/// <c>tags</c>) and any other key as a string property. Every problem is reported at once.
/// </summary>
internal static class ImageCreateBody
{
    public const string Example = """{"name": "cirros", "disk_format": "qcow2", "container_format": "bare"}""";

    private const int MaxNameLength = 255;

    private static readonly HashSet<string> Visibilities = new(StringComparer.Ordinal) { "public", "private", "shared", "community" };

    /// <summary>Fields Glance sets itself; a client may not send them.</summary>
    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal)
    {
        "status", "checksum", "os_hash_algo", "os_hash_value", "owner", "size", "virtual_size", "created_at", "updated_at",
        "self", "file", "schema", "direct_url", "locations", "deleted", "deleted_at", "os_hidden",
    };

    public static ImageImportRequest Parse(JsonObject body)
    {
        var problems = new List<string>();
        var name = OptionalString(body, "name", problems) ?? string.Empty;
        if (name.Length > MaxNameLength)
        {
            problems.Add($"'name' is {name.Length} characters; it may have at most {MaxNameLength}");
        }

        var diskFormatName = OptionalString(body, "disk_format", problems);
        DiskFormat? diskFormat = null;
        if (diskFormatName is not null)
        {
            if (DiskFormats.TryParse(diskFormatName, out var parsed))
            {
                diskFormat = parsed;
            }
            else
            {
                problems.Add(DiskFormats.Refusal("'disk_format'", diskFormatName));
            }
        }

        var containerFormat = OptionalString(body, "container_format", problems);
        if (containerFormat is not null && !ImageFormats.ContainerFormats.Contains(containerFormat, StringComparer.Ordinal))
        {
            problems.Add($"'container_format' '{containerFormat}' is not accepted; use one of {string.Join(", ", ImageFormats.ContainerFormats)}");
        }

        var visibility = OptionalString(body, "visibility", problems);
        if (visibility is not null && !Visibilities.Contains(visibility))
        {
            problems.Add($"'visibility' '{visibility}' is not accepted; use one of public, private, shared, community");
        }

        if (body["protected"] is { } isProtected && !(isProtected.GetValueKind() == JsonValueKind.False))
        {
            problems.Add("'protected' must be false: Vireo has no protected images yet (Glance's protected images refuse deletion)");
        }

        if (body["tags"] is { } tags && !(tags is JsonArray { Count: 0 }))
        {
            problems.Add("'tags' must be an empty list: Vireo keeps no image tags yet; use a property instead");
        }

        if (body.ContainsKey("id"))
        {
            problems.Add("'id' is chosen by Vireo; leave it out");
        }

        var minDisk = NonNegative(body, "min_disk", problems);
        var minRam = NonNegative(body, "min_ram", problems);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in body)
        {
            if (key is "name" or "disk_format" or "container_format" or "visibility" or "protected" or "tags" or "id" or "min_disk" or "min_ram")
            {
                continue;
            }

            if (ReadOnly.Contains(key))
            {
                problems.Add($"'{key}' is set by the image service; leave it out");
            }
            else if (value?.GetValueKind() == JsonValueKind.String)
            {
                properties[key] = Checked(value.GetValue<string>(), $"property '{key}'", TextRule.Free, problems);
            }
            else
            {
                problems.Add($"property '{key}' must be a string, e.g. \"{key}\": \"yes\"");
            }
        }

        problems.AddRange(ImagePropertyRules.Problems(properties));
        if (problems.Count > 0)
        {
            throw ApiRequestException.BadRequest(string.Join("; ", problems));
        }

        return new ImageImportRequest(name, diskFormat, containerFormat, properties, minDisk, minRam)
        {
            Visibility = ImageVisibilities.TryParse(visibility) ?? ImageVisibility.Private,
        };
    }

    private static string? OptionalString(JsonObject body, string key, List<string> problems)
    {
        if (body[key] is not { } node)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.String)
        {
            return Checked(node.GetValue<string>(), $"'{key}'", TextRule.Token, problems);
        }

        problems.Add($"'{key}' must be a string or null");
        return null;
    }

    /// <summary>The text, after noting <see cref="RequestText"/>'s refusal among the problems if it has one.</summary>
    private static string Checked(string text, string field, TextRule rule, List<string> problems)
    {
        if (RequestText.Problem(text, rule) is { } problem)
        {
            problems.Add($"{field} {problem}");
        }

        return text;
    }

    private static int NonNegative(JsonObject body, string key, List<string> problems)
    {
        if (body[key] is not { } node)
        {
            return 0;
        }

        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var value) && value >= 0)
        {
            return value;
        }

        problems.Add($"'{key}' must be a non-negative integer, got {node.ToJsonString()}");
        return 0;
    }
}
