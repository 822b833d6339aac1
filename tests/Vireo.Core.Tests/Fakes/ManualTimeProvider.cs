namespace Vireo.Core.Tests.Fakes;

/// <summary>A clock that moves only when told, one second per reading by default so orderings are visible.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero))
    {
    }

    public TimeSpan Tick { get; set; } = TimeSpan.FromSeconds(1);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            _now += Tick;
            return _now;
        }
    }
}
