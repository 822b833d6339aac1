using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vireo.Storage;

/// <summary>
/// What a killed service leaves behind in its storage, removed at start-up: half-received imports
/// (<c>.partial-&lt;id&gt;</c> in the images directory, which only this service writes) and half-filled
/// bases (<c>.&lt;name&gt;.&lt;nonce&gt;[.raw].part</c> in the base directory) that nobody has written for
/// <c>staleAfter</c>: another host sharing instances_path may be filling one right now, and a fill
/// writes continuously. Neither kind is ever read as an image or a base. Likewise the temporary copies
/// of snapshots (<c>snapshot-&lt;image id&gt;.part[.raw]</c> in an instance directory) nobody has
/// written for <c>staleAfter</c>: their image was removed at start-up with its process.
/// </summary>
public static class StorageLeftovers
{
    /// <summary>Nothing writes a part file for this long while filling it.</summary>
    public static TimeSpan DefaultStaleAfter { get; } = TimeSpan.FromMinutes(10);

    /// <summary>Removes the leftovers; returns the paths removed. Files it cannot remove are skipped (and logged).</summary>
    public static IReadOnlyList<string> Remove(StorageSettings settings, DateTimeOffset now, TimeSpan staleAfter, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        logger ??= NullLogger.Instance;
        var removed = new List<string>();
        RemoveMatching(settings.ImagesDirectory, ".partial-*", _ => true, removed, logger);
        RemoveMatching(settings.BaseDirectory, ".*.part", file => now - File.GetLastWriteTimeUtc(file) >= staleAfter, removed, logger);
        if (Directory.Exists(settings.InstancesPath))
        {
            foreach (var instance in Directory.EnumerateDirectories(settings.InstancesPath).Where(d => Guid.TryParse(Path.GetFileName(d), out _)))
            {
                RemoveMatching(instance, "snapshot-*.part*", file => now - File.GetLastWriteTimeUtc(file) >= staleAfter, removed, logger);
            }
        }

        return removed;
    }

    private static void RemoveMatching(string directory, string pattern, Func<string, bool> stale, List<string> removed, ILogger logger)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, pattern, new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 }))
        {
            try
            {
                if (new FileInfo(file).LinkTarget is null && stale(file))
                {
                    File.Delete(file);
                    removed.Add(file);
                    StorageLog.LeftoverRemoved(logger, file);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or busy: the next start tries again.
                StorageLog.LeftoverNotRemoved(logger, file, exception.Message);
            }
        }
    }
}
