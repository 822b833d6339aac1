using Vireo.Core.ImageCache;
using Vireo.Core.Ports;

namespace Vireo.Testing.Fakes;

/// <summary>
/// The image cache manager as a value: <see cref="InspectAsync"/> decides over <see cref="Facts"/>
/// with <see cref="Rules"/> through the real <see cref="ImageCacheDecision"/>, so only the reading
/// of files is faked; the report's time comes from <see cref="Time"/> at each call when it is set,
/// as the real manager reads its clock afresh. Failure injection: "InspectAsync".
/// </summary>
public sealed class FakeImageCacheManager : IImageCacheManager
{
    public Failures Failures { get; } = new();

    public ImageCacheFacts Facts { get; set; } = new([], [], new Dictionary<string, CachedImage>(), new HashSet<string>(), DateTimeOffset.UnixEpoch);

    public ImageCacheRules Rules { get; set; } = ImageCacheRules.Default;

    public TimeSpan? Interval { get; set; } = TimeSpan.FromSeconds(2400);

    /// <summary>The clock each inspection reads; null: <see cref="ImageCacheFacts.Now"/> of <see cref="Facts"/> as set.</summary>
    public TimeProvider? Time { get; set; }

    public Task<ImageCacheReport> InspectAsync(CancellationToken cancellationToken)
    {
        Failures.ThrowIfFailing(nameof(InspectAsync));
        var facts = Time is null ? Facts : Facts with { Now = Time.GetUtcNow() };
        return Task.FromResult(new ImageCacheReport(facts.Now, Interval, ImageCacheDecision.Decide(facts, Rules)));
    }
}
