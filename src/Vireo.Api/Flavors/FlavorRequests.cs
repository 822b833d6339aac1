using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Vireo.Api.Http;
using Vireo.Core;

namespace Vireo.Api.Flavors;

/// <summary>Reads <c>POST /flavors</c> bodies and list filters with Nova's rules (<c>schemas/flavor_manage.py</c>, <c>flavors.py</c>).</summary>
internal static partial class FlavorRequests
{
    public const string CreateExample = """{"flavor": {"name": "m1.small", "ram": 2048, "vcpus": 1, "disk": 20}}""";

    private const int MaxNameLength = 255;

    public static Flavor ParseCreate(JsonObject body)
    {
        var flavor = JsonBody.RequireObject(body, "flavor", "flavor", CreateExample);
        var name = JsonBody.String(flavor, "name", "flavor.name", required: true, TextRule.Name)!;
        // Length (in characters, as Nova counts), control characters and white space at the ends: TextRule.Name.
        if (name.Length == 0)
        {
            throw ApiRequestException.BadRequest(
                $"'flavor.name' must be 1 to {MaxNameLength} characters without white space at either end, got '{name}'");
        }

        var id = JsonBody.Reference(flavor, "id", "flavor.id");
        if (id is not null && !FlavorIdPattern().IsMatch(id))
        {
            throw ApiRequestException.BadRequest(
                $"'flavor.id' must be 1 to {MaxNameLength} letters, digits, '.', '_', '-' or inner spaces, got '{id}'");
        }

        var ram = JsonBody.Integer(flavor, "ram", "flavor.ram", required: true, minimum: 1)!.Value;
        var vcpus = JsonBody.Integer(flavor, "vcpus", "flavor.vcpus", required: true, minimum: 1)!.Value;
        var disk = JsonBody.Integer(flavor, "disk", "flavor.disk", required: true, minimum: 0)!.Value;
        var ephemeral = JsonBody.Integer(flavor, "OS-FLV-EXT-DATA:ephemeral", "flavor.OS-FLV-EXT-DATA:ephemeral", required: false, minimum: 0) ?? 0;
        var swap = IsEmptyString(flavor, "swap") ? 0 : JsonBody.Integer(flavor, "swap", "flavor.swap", required: false, minimum: 0) ?? 0;
        var isPublic = JsonBody.Boolean(flavor, "os-flavor-access:is_public", "flavor.os-flavor-access:is_public") ?? true;

        // Nova makes a UUID when no id is given.
        return new Flavor(id ?? Guid.NewGuid().ToString("D"), name, vcpus, ram, disk, ephemeral, swap, Flavor.NoExtraSpecs, isPublic);
    }

    /// <summary>
    /// Nova's list filters: <c>is_public</c> (absent: public only; <c>none</c>: all; else a
    /// strict boolean), <c>minRam</c> and <c>minDisk</c>.
    /// </summary>
    public static IEnumerable<Flavor> Filter(IEnumerable<Flavor> flavors, IQueryCollection query)
    {
        var isPublic = query["is_public"].ToString();
        if (string.IsNullOrEmpty(isPublic))
        {
            flavors = flavors.Where(flavor => flavor.IsPublic);
        }
        else if (!string.Equals(isPublic, "none", StringComparison.OrdinalIgnoreCase))
        {
            if (!Flags.TryParse(isPublic, out var wanted))
            {
                throw ApiRequestException.BadRequest($"Invalid is_public filter [{isPublic}]");
            }

            flavors = flavors.Where(flavor => flavor.IsPublic == wanted);
        }

        if (Minimum(query, "minRam") is { } minRam)
        {
            flavors = flavors.Where(flavor => flavor.MemoryMiB >= minRam);
        }

        if (Minimum(query, "minDisk") is { } minDisk)
        {
            flavors = flavors.Where(flavor => flavor.RootDiskGiB >= minDisk);
        }

        return flavors;
    }

    private static int? Minimum(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiRequestException.BadRequest($"Invalid {name} filter [{text}]");
    }

    private static bool IsEmptyString(JsonObject parent, string key) =>
        parent.TryGetPropertyValue(key, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length == 0;

    // Nova's parameter_types.flavor_id: no leading or trailing space, word characters, '.', '-', ' '.
    [GeneratedRegex(@"^(?! )[a-zA-Z0-9. _-]{1,255}(?<! )$", RegexOptions.CultureInvariant)]
    private static partial Regex FlavorIdPattern();
}
