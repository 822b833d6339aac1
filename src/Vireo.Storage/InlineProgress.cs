namespace Vireo.Storage;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, in order
/// (<see cref="Progress{T}"/> posts each report to the thread pool, where they can overtake each other).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
