namespace Vireo.Testing.Fakes;

/// <summary>Failure injection by operation name for the fakes.</summary>
public sealed class Failures
{
    private readonly Dictionary<string, Func<Exception>> _failing = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void FailOn(string operation, ErrorKind kind = ErrorKind.Failed) =>
        FailOn(operation, () => new VireoException(kind, $"injected failure in {operation}"));

    public void FailOn(string operation, Func<Exception> failure)
    {
        lock (_lock)
        {
            _failing[operation] = failure;
        }
    }

    public void Clear(string operation)
    {
        lock (_lock)
        {
            _failing.Remove(operation);
        }
    }

    public void ThrowIfFailing(string operation)
    {
        Func<Exception>? failure;
        lock (_lock)
        {
            _failing.TryGetValue(operation, out failure);
        }

        if (failure is not null)
        {
            throw failure();
        }
    }
}
