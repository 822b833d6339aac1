using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Api.Images;

/// <summary>
/// Reads the query of <c>POST /image/v2/vireo-import</c>:
/// <c>name</c>, <c>disk_format</c>, <c>container_format</c> (default bare),
/// <c>property=key=value</c> (repeatable), <c>min_disk</c>, <c>min_ram</c>.
/// </summary>
internal static class ImageImportQuery
{
    private static IReadOnlyList<string> ContainerFormats => ImageFormats.ContainerFormats;

    private const int MaxNameLength = 255;

    public static ImageImportRequest Parse(IQueryCollection query)
    {
        var name = Single(query, "name");
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw ApiRequestException.BadRequest($"'name' is required in the query and must be 1 to {MaxNameLength} characters, e.g. ?name=cirros&disk_format=qcow2");
        }

        var diskFormatName = Single(query, "disk_format");
        if (!DiskFormats.TryParse(diskFormatName, out var diskFormat))
        {
            throw ApiRequestException.BadRequest(DiskFormats.Refusal("'disk_format'", diskFormatName));
        }

        var containerFormat = Single(query, "container_format") ?? "bare";
        if (!ContainerFormats.Contains(containerFormat, StringComparer.Ordinal))
        {
            throw ApiRequestException.BadRequest(
                $"'container_format' must be one of {string.Join(", ", ContainerFormats)}, got '{containerFormat}'");
        }

        // Glance's visibility; private unless asked, public for admins only (the compute service checks).
        var visibilityName = Single(query, "visibility");
        var visibility = visibilityName is null ? ImageVisibility.Private : ImageVisibilities.TryParse(visibilityName)
            ?? throw ApiRequestException.BadRequest($"'visibility' must be one of {string.Join(", ", ImageVisibilities.All)}, got '{visibilityName}'");

        return new ImageImportRequest(
            name,
            diskFormat,
            containerFormat,
            Properties(query),
            NonNegative(query, "min_disk"),
            NonNegative(query, "min_ram"))
        {
            Visibility = visibility,
        };
    }

    private static Dictionary<string, string> Properties(IQueryCollection query)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query["property"])
        {
            var separator = pair?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (pair is null || separator <= 0)
            {
                throw ApiRequestException.BadRequest($"'property' must be written key=value, e.g. property=hw_qemu_guest_agent=yes, got '{pair}'");
            }

            var key = pair[..separator];
            if (ImageViews.ReservedKeys.Contains(key))
            {
                throw ApiRequestException.BadRequest($"property '{key}' is reserved for the image's own field; choose another key");
            }

            if (!properties.TryAdd(key, pair[(separator + 1)..]))
            {
                throw ApiRequestException.BadRequest($"property '{key}' is given twice; give each key once");
            }
        }

        return properties;
    }

    private static string? Single(IQueryCollection query, string key)
    {
        var values = query[key];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw ApiRequestException.BadRequest($"'{key}' is given {values.Count} times in the query; give it once"),
        };
    }

    private static int NonNegative(IQueryCollection query, string key)
    {
        var text = Single(query, key);
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiRequestException.BadRequest($"'{key}' must be a non-negative integer, got '{text}'");
    }
}
