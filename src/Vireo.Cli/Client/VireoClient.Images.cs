using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Vireo.Api.Contracts;

namespace Vireo.Cli.Client;

public sealed partial class VireoClient
{
    /// <summary>The images, newest first; only those named exactly <paramref name="name"/> when given.</summary>
    public async Task<IReadOnlyList<ImageView>> ListImagesAsync(string? name, CancellationToken cancellationToken)
    {
        var path = name is null ? "images" : "images?name=" + Escape(name);
        return (await ReadAsync<ImageListResponse>(Image(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false)).Images;
    }

    /// <summary>An image by id, or by name when exactly one image has it.</summary>
    public async Task<ImageView> ShowImageAsync(string imageRef, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(imageRef, out var id))
        {
            return await ReadAsync<ImageView>(Image(HttpMethod.Get, "images/" + id.ToString("D", CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
        }

        var matches = await ListImagesAsync(imageRef, cancellationToken).ConfigureAwait(false);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ClientFailure(ExitCodes.NotFound, $"image '{imageRef}' does not exist; list the images to see their ids and names"),
            _ => throw new ClientFailure(ExitCodes.Conflict, $"image name '{imageRef}' matches {matches.Count} images; give the id of the one you mean"),
        };
    }

    public Task DeleteImageAsync(string imageId, CancellationToken cancellationToken) =>
        SendAsync(Image(HttpMethod.Delete, "images/" + Escape(imageId)), cancellationToken);

    /// <summary>
    /// Streams <paramref name="content"/> as the body of <c>POST /image/v2/vireo-import</c>;
    /// no time limit, since large images take as long as they take.
    /// </summary>
    public async Task<ImageView> ImportImageAsync(ImageImport import, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(import);
        var query = new StringBuilder("vireo-import?name=").Append(Escape(import.Name))
            .Append("&disk_format=").Append(Escape(import.DiskFormat))
            .Append("&container_format=").Append(Escape(import.ContainerFormat));
        if (import.Visibility is { } visibility)
        {
            query.Append("&visibility=").Append(Escape(visibility));
        }

        foreach (var (key, value) in import.Properties)
        {
            query.Append("&property=").Append(Escape(key + "=" + value));
        }

        using var request = Image(HttpMethod.Post, query.ToString());
        request.Content = new StreamContent(content, 256 * 1024);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (import.SizeBytes is { } size)
        {
            request.Content.Headers.ContentLength = size;
        }

        using var response = await SendAsync(request, cancellationToken, cancellationToken).ConfigureAwait(false);
        return await ParseAsync<ImageView>(response, cancellationToken, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What <c>vireo image import</c> declares about the bytes it sends.</summary>
/// <param name="SizeBytes">The length of the content when known (sent as Content-Length, else chunked).</param>
public sealed record ImageImport(
    string Name,
    string DiskFormat,
    string ContainerFormat,
    IReadOnlyList<KeyValuePair<string, string>> Properties,
    long? SizeBytes)
{
    /// <summary>Glance's visibility to ask for; null leaves the service's default (private).</summary>
    public string? Visibility { get; init; }
}
