using Vireo.Api.Contracts;

namespace Vireo.Cli.Client;

public sealed partial class VireoClient
{
    /// <summary>The base image cache as the service's cache manager judges it now.</summary>
    public async Task<ImageCacheView> GetImageCacheAsync(CancellationToken cancellationToken) =>
        (await ReadAsync<ImageCacheResponse>(Compute(HttpMethod.Get, "vireo-image-cache"), cancellationToken).ConfigureAwait(false)).Cache;
}
