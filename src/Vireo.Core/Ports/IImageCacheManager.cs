using Vireo.Core.ImageCache;

namespace Vireo.Core.Ports;

/// <summary>The base image cache as its manager sees it (<c>vireo image cache</c>).</summary>
public interface IImageCacheManager
{
    /// <summary>Every entry of the base directory with its users and what the next pass does with it, read afresh.</summary>
    Task<ImageCacheReport> InspectAsync(CancellationToken cancellationToken);
}
