using Vireo.Core.ImageCache;
using Vireo.Core.Ports;

namespace Vireo.Testing.Fakes;

/// <summary>
/// The image cache manager as a value: <see cref="InspectAsync"/> decides over <see cref="Facts"/>
/// with <see cref="Rules"/> through the real <see cref="ImageCacheDecision"/>, so only the reading
/// of files is faked. Failure injection: "InspectAsync".
/// </summary>
public sealed class FakeImageCacheManager : IImageCacheManager
{
    public Failures Failures { get; } = new();

    public ImageCacheFacts Facts { get; set; } = new([], [], new Dictionary<string, CachedImage>(), new HashSet<string>(), DateTimeOffset.UnixEpoch);

    public ImageCacheRules Rules { get; set; } = ImageCacheRules.Default;

    public TimeSpan? Interval { get; set; } = TimeSpan.FromSeconds(2400);

    public Task<ImageCacheReport> InspectAsync(CancellationToken cancellationToken)
    {
        Failures.ThrowIfFailing(nameof(InspectAsync));
        return Task.FromResult(new ImageCacheReport(Facts.Now, Interval, ImageCacheDecision.Decide(Facts, Rules)));
    }
}
