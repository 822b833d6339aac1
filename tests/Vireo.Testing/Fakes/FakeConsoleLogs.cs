namespace Vireo.Testing.Fakes;

/// <summary>
/// The serial console logs behind <see cref="FakeDisks"/>, as text per instance. The tail is cut as
/// Storage's ConsoleLogTail cuts it: CRLF read as LF, blank lines kept, every line ending in LF.
/// </summary>
public sealed class FakeConsoleLogs
{
    private readonly Dictionary<Guid, string> _logs = [];

    /// <summary>The last read asked: instance and line count.</summary>
    public (Guid Id, int? Lines)? LastRequest { get; private set; }

    /// <summary>Runs at the start of each read (a test deletes the server here to race the read).</summary>
    public Func<Guid, Task>? BeforeRead { get; set; }

    public string this[Guid instanceId]
    {
        set => Write(instanceId, value);
    }

    public void Write(Guid instanceId, string text)
    {
        lock (_logs)
        {
            _logs[instanceId] = text;
        }
    }

    public void Remove(Guid instanceId)
    {
        lock (_logs)
        {
            _logs.Remove(instanceId);
        }
    }

    internal async Task<string?> ReadTailAsync(Guid instanceId, int? lines, Func<Guid, bool> directoryExists)
    {
        LastRequest = (instanceId, lines);
        if (BeforeRead is { } before)
        {
            await before(instanceId);
        }

        string? text;
        lock (_logs)
        {
            text = directoryExists(instanceId) ? _logs.GetValueOrDefault(instanceId) : null;
        }

        return text is null ? null : Tail(text.Replace("\r\n", "\n", StringComparison.Ordinal), lines);
    }

    private static string Tail(string text, int? lines)
    {
        if (lines is not { } n)
        {
            return text;
        }

        var all = text.Split('\n');
        var count = text.EndsWith('\n') ? all.Length - 1 : all.Length;
        return string.Concat(all.Take(count).TakeLast(n).Select(line => line + "\n"));
    }
}
