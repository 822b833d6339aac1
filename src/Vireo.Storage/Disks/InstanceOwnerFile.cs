using System.Text.Json;
using Vireo.Core.Ports;

namespace Vireo.Storage.Disks;

/// <summary>Reads and writes an instance directory's owner file (<see cref="InstanceFiles.Owner"/>).</summary>
internal static class InstanceOwnerFile
{
    /// <summary>Largest owner file read; anything bigger is not one this code wrote.</summary>
    private const long MaxBytes = 64 * 1024;

    public static async Task WriteAsync(string directory, OwnerFile owner, CancellationToken cancellationToken)
    {
        var path = Path.Join(directory, InstanceFiles.Owner);
        var temporary = path + ".tmp";
        var file = new FileStream(temporary, UnixFiles.CreateNew(UnixFiles.SharedFile));
        await using (file.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(file, owner, OwnerFileJson.Default.OwnerFile, cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
    }

    /// <summary>The owner, or null when the file is missing, a link, too big or not an owner file.</summary>
    public static DirectoryOwner? Read(string directory)
    {
        var info = new FileInfo(Path.Join(directory, InstanceFiles.Owner));
        try
        {
            if (!info.Exists || info.LinkTarget is not null || info.Length > MaxBytes)
            {
                return null;
            }

            var owner = JsonSerializer.Deserialize(File.ReadAllBytes(info.FullName), OwnerFileJson.Default.OwnerFile);
            return owner is { InstallationId.Length: > 0, Host.Length: > 0 }
                ? new DirectoryOwner(owner.InstallationId, owner.Host, owner.InstanceId, owner.CreatedAt)
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The bytes of the directory's top-level files (sparse disks count at their apparent size); null when it cannot be read.</summary>
    public static long? SizeOf(DirectoryInfo directory)
    {
        try
        {
            return directory.EnumerateFiles().Where(file => file.LinkTarget is null).Sum(file => file.Length);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
