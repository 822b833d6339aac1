using Vireo.Api;
using Vireo.Storage.Disks;

namespace Vireo.Cli.Serve;

/// <summary>Reads the tail of <c>&lt;instances_path&gt;/&lt;uuid&gt;/console.log</c> for os-getConsoleOutput.</summary>
public sealed class ConsoleLogReader(string instancesPath) : IConsoleLogReader
{
    private const long MaxBytes = 1024 * 1024;

    public async Task<string?> ReadTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken)
    {
        var path = Path.Combine(instancesPath, instanceId.ToString("D"), InstanceFiles.ConsoleLog);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            // Not written yet, or removed by a delete since the caller looked the server up.
            return null;
        }

        await using var log = stream;
        // Only the last MiB: a guest can write an unbounded log.
        if (stream.Length > MaxBytes)
        {
            stream.Seek(-MaxBytes, SeekOrigin.End);
        }
        using var reader = new StreamReader(stream);
        var text = (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (lines is not { } n)
        {
            return text;
        }
        var all = text.Split('\n');
        var count = text.EndsWith('\n') ? all.Length - 1 : all.Length;
        return string.Join('\n', all.Take(count).TakeLast(n)) + (count > 0 ? "\n" : string.Empty);
    }
}
