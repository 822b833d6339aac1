using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Vireo.Api.Auth;
using Vireo.Api.Http;
using Vireo.Api.Images;
using Vireo.Core.Compute;

namespace Vireo.Api.Servers;

/// <summary>
/// Nova's <c>createImage</c> server action (nova/api/openstack/compute/servers.py _action_create_image):
/// 202 with a <c>Location</c> header naming the new image, which exists (saving) when the answer
/// leaves; no body below microversion 2.45, the only ones served here. The server is looked up
/// first, so an unknown server is a 404 whatever the body says; then the body (400), then the
/// state (409, from the compute service).
/// </summary>
internal static class CreateImageAction
{
    public const string Example = """{"createImage": {"name": "web1-snapshot", "metadata": {}}}""";

    public static async Task<(SnapshotOperation Operation, string Location)> RunAsync(
        string serverRef, JsonNode? argument, HttpContext http, ComputeService compute, ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var caller = RequestContexts.Of(http);
        await compute.ShowServerAsync(serverRef, caller, cancellationToken).ConfigureAwait(false);
        if (argument is not JsonObject arguments)
        {
            throw ApiRequestException.BadRequest($"'createImage' must be an object such as {Example}, got {JsonBody.Describe(argument)}");
        }

        var name = JsonBody.String(arguments, "name", "createImage.name", required: false, TextRule.Name);
        var metadata = Metadata(arguments);
        var operation = await compute.BeginCreateImageAsync(serverRef, name, metadata, caller, cancellationToken).ConfigureAwait(false);
        var location = new ApiLinks(http.Request, options).Bookmark("image" + ImageViews.Location(operation.Image.Id));
        return (operation, location);
    }

    /// <summary><c>createImage.metadata</c>: an object of string values (Nova's schema), each a property of the new image.</summary>
    private static Dictionary<string, string>? Metadata(JsonObject arguments)
    {
        if (!arguments.TryGetPropertyValue("metadata", out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonObject values)
        {
            throw ApiRequestException.BadRequest($"'createImage.metadata' must be an object of strings, got {JsonBody.Describe(node)}");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                throw ApiRequestException.BadRequest($"'createImage.metadata.{key}' must be a string, got {JsonBody.Describe(value)}");
            }

            metadata[RequestText.Require(key, "a key of 'createImage.metadata'", TextRule.Token)] =
                RequestText.Require(text.GetValue<string>(), $"'createImage.metadata.{key}'", TextRule.Token);
        }

        return metadata;
    }
}
