using Vireo.Core.ImageCache;
using Vireo.Core.Ports;
using Vireo.Storage.Disks;

namespace Vireo.Storage.Cache;

/// <summary>
/// Reads <see cref="ImageCacheFacts"/>: the base directory's entries, the store's instances that
/// are not deleted (their image's base is in use), and every directory under instances_path (of
/// this installation or not, on this host or another sharing the path, quarantined orphans too)
/// whose files' qcow2 headers name a backing file.
/// </summary>
public sealed class ImageCacheFactsReader(StorageSettings settings, BaseImageCache bases, IInstanceStore instances, IImageCatalog images, TimeProvider time)
{
    public async Task<ImageCacheFacts> ReadAsync(CancellationToken cancellationToken)
    {
        // Users first, files last: a base filled after its users were read is young, never old and unused.
        var rows = await instances.ListAsync(includeDeleted: false, cancellationToken).ConfigureAwait(false);
        var known = await images.ListAsync(cancellationToken).ConfigureAwait(false);
        var users = new List<CacheUser>();
        users.AddRange(rows.Select(row => new CacheUser(BaseImageCache.CacheFileName(row.ImageId), $"instance {row.Id:D}")));
        var rowIds = rows.Select(row => row.Id).ToHashSet();
        users.AddRange(DiskUsers(rowIds, cancellationToken));
        var held = bases.HeldNames();
        var files = Entries();
        var named = known.GroupBy(image => BaseImageCache.CacheFileName(image.Id), StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => new CachedImage(group.First().Id, group.First().Name), StringComparer.Ordinal);
        return new ImageCacheFacts(files, users, named, held, time.GetUtcNow());
    }

    private List<CachedFile> Entries()
    {
        if (!Directory.Exists(settings.BaseDirectory))
        {
            return [];
        }

        return [.. new DirectoryInfo(settings.BaseDirectory).EnumerateFileSystemInfos().Select(entry =>
        {
            var regular = entry is FileInfo && entry.LinkTarget is null;
            var lastUsed = entry.LastWriteTimeUtc > entry.LastAccessTimeUtc ? entry.LastWriteTimeUtc : entry.LastAccessTimeUtc;
            return new CachedFile(entry.Name, regular ? ((FileInfo)entry).Length : 0, new DateTimeOffset(lastUsed, TimeSpan.Zero), regular);
        })];
    }

    /// <summary>Every regular file of every directory under instances_path but the base directory, that names a backing file.</summary>
    private IEnumerable<CacheUser> DiskUsers(HashSet<Guid> rowIds, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(settings.InstancesPath))
        {
            yield break;
        }

        var baseDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.BaseDirectory));
        foreach (var directory in new DirectoryInfo(settings.InstancesPath).EnumerateDirectories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var full = Path.TrimEndingDirectorySeparator(directory.FullName);
            // The base directory itself, and a directory holding it (subdirectory_name = "cache/_base"), hold no instance disks.
            if (directory.LinkTarget is not null || string.Equals(baseDirectory, full, StringComparison.Ordinal)
                || baseDirectory.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var who = Describe(directory, rowIds);
            foreach (var file in SafeFiles(directory))
            {
                if (Backing(file.FullName) is { } backing)
                {
                    yield return new CacheUser(Path.GetFileName(backing), $"{who}: {file.Name}");
                }
            }
        }
    }

    private string Describe(DirectoryInfo directory, HashSet<Guid> rowIds)
    {
        var owner = InstanceOwnerFile.Read(directory.FullName);
        if (owner is null)
        {
            return $"directory {directory.Name} (no owner file)";
        }

        var ours = string.Equals(owner.InstallationId, settings.InstallationId, StringComparison.Ordinal);
        if (ours && !string.Equals(owner.Host, settings.Host, StringComparison.Ordinal))
        {
            return $"directory {directory.Name} of host {owner.Host}";
        }

        if (!ours)
        {
            return $"directory {directory.Name} of another installation on host {owner.Host}";
        }

        return rowIds.Contains(owner.InstanceId) ? $"directory {directory.Name}" : $"directory {directory.Name} (quarantined orphan)";
    }

    private static IEnumerable<FileInfo> SafeFiles(DirectoryInfo directory)
    {
        try
        {
            // Sockets, FIFOs and devices (the agent socket among them) report a size of 0; only a
            // file at least a qcow2 header long is opened, so nothing blocks on a FIFO.
            return [.. directory.EnumerateFiles().Where(file => file.LinkTarget is null && file.Length >= Qcow2BackingName.HeaderLength)];
        }
        catch (DirectoryNotFoundException)
        {
            // Removed since it was listed (a delete in progress). Any other failure stops the pass:
            // a directory whose disks cannot be read could be using any base.
            return [];
        }
    }

    private static string? Backing(string path)
    {
        try
        {
            return Qcow2BackingName.Read(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            // Removed since it was listed (a delete in progress): it uses nothing any more. Any other
            // failure stops the pass, since that disk could be using any base.
            return null;
        }
    }
}
