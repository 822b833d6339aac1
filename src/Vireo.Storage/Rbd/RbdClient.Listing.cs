using System.Text.Json.Serialization;

namespace Vireo.Storage.Rbd;

/// <summary>One image of <c>rbd ls --long</c>: its name and provisioned size.</summary>
public sealed record RbdListedImage(string Name, long SizeBytes);

public sealed partial class RbdClient
{
    /// <summary>
    /// <c>rbd ls --long --format json --pool &lt;pool&gt;</c>: every image in the pool with its
    /// provisioned size, in one call (its snapshots, which the long listing also prints, left out).
    /// </summary>
    public async Task<IReadOnlyList<RbdListedImage>> ListWithSizesAsync(CancellationToken cancellationToken = default)
    {
        var output = await RunAsync("ls", _settings.Pool, ["ls", "--long", "--format", "json", "--pool", _settings.Pool], cancellationToken).ConfigureAwait(false);
        return ParseLongListing(output, _settings.Pool);
    }

    /// <summary>
    /// The images of <c>rbd ls --long --format json</c> (src/tools/rbd/action/List.cc: one object per
    /// image with <c>image</c> and <c>size</c>, then one per snapshot that also has <c>snapshot</c>).
    /// </summary>
    public static IReadOnlyList<RbdListedImage> ParseLongListing(string json, string pool) =>
        [.. Parse(json, RbdListJson.Default.ListRbdLongJson, "ls", pool)
            .Where(entry => entry.Snapshot is null && entry.Image is { Length: > 0 })
            .Select(entry => new RbdListedImage(entry.Image!, entry.Size))];
}

internal sealed record RbdLongJson(
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("snapshot")] string? Snapshot,
    [property: JsonPropertyName("size")] long Size);

[JsonSerializable(typeof(List<RbdLongJson>))]
internal sealed partial class RbdListJson : JsonSerializerContext;
