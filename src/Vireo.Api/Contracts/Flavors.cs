using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vireo.Api.Contracts;

/// <summary>An entry of <c>GET /flavors</c>.</summary>
public sealed record FlavorSummary
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("links")]
    public required IReadOnlyList<Link> Links { get; init; }
}

/// <summary>A flavor as <c>GET /flavors/{id}</c> and <c>/flavors/detail</c> show it at 2.1.</summary>
public sealed record FlavorDetail
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("ram")]
    public required int RamMiB { get; init; }

    [JsonPropertyName("vcpus")]
    public required int Vcpus { get; init; }

    [JsonPropertyName("disk")]
    public required int DiskGiB { get; init; }

    [JsonPropertyName("OS-FLV-EXT-DATA:ephemeral")]
    public required int EphemeralGiB { get; init; }

    /// <summary>MiB; Nova writes <c>""</c> for none before 2.75.</summary>
    [JsonPropertyName("swap")]
    [JsonConverter(typeof(NovaSwapConverter))]
    public required int SwapMiB { get; init; }

    [JsonPropertyName("OS-FLV-DISABLED:disabled")]
    public required bool Disabled { get; init; }

    [JsonPropertyName("rxtx_factor")]
    public required double RxtxFactor { get; init; }

    [JsonPropertyName("os-flavor-access:is_public")]
    public required bool IsPublic { get; init; }

    [JsonPropertyName("links")]
    public required IReadOnlyList<Link> Links { get; init; }
}

public sealed record FlavorListResponse
{
    [JsonPropertyName("flavors")]
    public required IReadOnlyList<FlavorSummary> Flavors { get; init; }
}

public sealed record FlavorDetailListResponse
{
    [JsonPropertyName("flavors")]
    public required IReadOnlyList<FlavorDetail> Flavors { get; init; }
}

public sealed record FlavorResponse
{
    [JsonPropertyName("flavor")]
    public required FlavorDetail Flavor { get; init; }
}

/// <summary>What <c>POST /flavors</c> reads (Nova's <c>flavor_manage</c> create).</summary>
public sealed record FlavorCreateRequest
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("ram")]
    public required int RamMiB { get; init; }

    [JsonPropertyName("vcpus")]
    public required int Vcpus { get; init; }

    [JsonPropertyName("disk")]
    public required int DiskGiB { get; init; }

    /// <summary>Absent: the service makes a UUID.</summary>
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonPropertyName("OS-FLV-EXT-DATA:ephemeral")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? EphemeralGiB { get; init; }

    [JsonPropertyName("swap")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SwapMiB { get; init; }

    [JsonPropertyName("os-flavor-access:is_public")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsPublic { get; init; }
}

public sealed record FlavorCreateBody
{
    [JsonPropertyName("flavor")]
    public required FlavorCreateRequest Flavor { get; init; }
}

/// <summary>Nova's <c>swap</c> before 2.75: <c>""</c> for no swap, else the MiB as an integer.</summary>
public sealed class NovaSwapConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetInt32();
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString();
            return string.IsNullOrEmpty(text) ? 0 : int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
        }

        throw new JsonException($"swap must be \"\" or an integer, not a {reader.TokenType}");
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value == 0)
        {
            writer.WriteStringValue(string.Empty);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}
