namespace Vireo.Storage.Disks;

/// <summary>Reads the tail of an instance's serial console log (<see cref="InstanceFiles.ConsoleLog"/>).</summary>
public static class ConsoleLogTail
{
    /// <summary>Only the last MiB is read: a guest can write an unbounded log.</summary>
    public const long MaxBytes = 1024 * 1024;

    /// <summary>
    /// The last <paramref name="lines"/> lines of the file (all of the last MiB when null), or null
    /// when there is no file: not written yet, or removed by a delete since the caller looked.
    /// </summary>
    public static async Task<string?> ReadAsync(string path, int? lines, CancellationToken cancellationToken)
    {
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
