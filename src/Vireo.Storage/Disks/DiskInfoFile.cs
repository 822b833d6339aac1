using System.Text.Json;
using Vireo.Core;

namespace Vireo.Storage.Disks;

/// <summary>Reads <see cref="InstanceFiles.DiskInfo"/>: the format decided for each file disk when it was made.</summary>
internal static class DiskInfoFile
{
    /// <summary>The recorded format of <paramref name="diskPath"/>; Failed when disk.info is missing, unreadable or silent about it.</summary>
    public static async Task<DiskFormat> FormatOfAsync(string instanceDirectory, string diskPath, CancellationToken cancellationToken)
    {
        var path = Path.Join(instanceDirectory, InstanceFiles.DiskInfo);
        Dictionary<string, string>? formats;
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                formats = await JsonSerializer.DeserializeAsync(file, DiskInfoJson.Default.DictionaryStringString, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new VireoException(ErrorKind.Failed, $"{path} cannot be read ({exception.Message}), so the format of {diskPath} is unknown and it is not probed", exception);
        }

        if (formats?.GetValueOrDefault(diskPath) is not { } name || !DiskFormats.TryFromName(name, out var format) || format is not (DiskFormat.Raw or DiskFormat.Qcow2))
        {
            throw new VireoException(ErrorKind.Failed, $"{path} records no known format for {diskPath}, and a disk's format is never probed");
        }

        return format;
    }
}
