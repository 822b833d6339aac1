using Vireo.Api;

namespace Vireo.Api.Tests.Fakes;

/// <summary>Console logs as text per instance; answers the last N lines as the real reader does.</summary>
public sealed class FakeConsoleLogReader : IConsoleLogReader
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

    public Task<string> ReadTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken)
    {
        LastRequest = (instanceId, lines);
        string text;
        lock (_logs)
        {
            text = _logs.GetValueOrDefault(instanceId, string.Empty);
        }

        if (lines is { } count)
        {
            var all = text.Split('\n');
            var tail = all.Length > 0 && all[^1].Length == 0 ? all[..^1] : all;
            text = string.Concat(tail.Skip(Math.Max(0, tail.Length - count)).Select(line => line + "\n"));
        }

        return Task.FromResult(text);
    }
}
