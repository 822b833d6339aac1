namespace Vireo.Api.Tests.Fakes;

/// <summary>Console logs as text per instance; answers the last N lines as the instance disks do (behind <see cref="FakeDisks"/>).</summary>
public sealed class FakeConsoleLogReader
{
    private readonly Dictionary<Guid, string> _logs = [];

    public (Guid Id, int? Lines)? LastRequest { get; private set; }

    public void Write(Guid instanceId, string text)
    {
        lock (_logs)
        {
            _logs[instanceId] = text;
        }
    }

    /// <summary>Runs at the start of each read (a test deletes the server here to race the read).</summary>
    public Func<Guid, Task>? BeforeRead { get; set; }

    public void Remove(Guid instanceId)
    {
        lock (_logs)
        {
            _logs.Remove(instanceId);
        }
    }

    public async Task<string?> ReadTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken)
    {
        LastRequest = (instanceId, lines);
        if (BeforeRead is { } before)
        {
            await before(instanceId);
        }

        string? text;
        lock (_logs)
        {
            text = _logs.GetValueOrDefault(instanceId);
        }

        if (text is null)
        {
            return null;
        }

        if (lines is { } count)
        {
            var all = text.Split('\n');
            var tail = all.Length > 0 && all[^1].Length == 0 ? all[..^1] : all;
            text = string.Concat(tail.Skip(Math.Max(0, tail.Length - count)).Select(line => line + "\n"));
        }

        return text;
    }
}
