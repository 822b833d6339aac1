using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vireo.Core;

namespace Vireo.Storage.Disks.Backends;

/// <summary>
/// A snapshot of a stopped guest also makes the new image's base in the pool, from the RBD
/// snapshot its export read, by clone and flatten as Nova's direct snapshot does
/// (nova/virt/libvirt/imagebackend.py Rbd.direct_snapshot, nova/virt/libvirt/storage/rbd_utils.py
/// clone, flatten): a server booted from that image then clones the base without importing it.
/// </summary>
public sealed partial class RbdBackend
{
    /// <summary>
    /// <c>rbd snap protect &lt;uuid&gt;_disk@vireo-export-...</c>: a clone's parent must be protected
    /// (clone format 1, as Nova's direct snapshot protects its snapshot). False (a warning) when rbd
    /// refuses: the snapshot then goes on without the base.
    /// </summary>
    private async Task<bool> ProtectForSeedAsync(string disk, string snapshot, Guid imageId, CancellationToken cancellationToken)
    {
        try
        {
            await _rbd.ProtectSnapshotAsync(disk, snapshot, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (VireoException failure)
        {
            LogSeedFailed(_logger, _rbd.Settings.Pool, BaseName(imageId), disk, snapshot, failure.Message);
            return false;
        }
    }

    /// <summary>
    /// Under the base's gate (so the image cache manager never sees it half made):
    /// <c>rbd clone &lt;uuid&gt;_disk@vireo-export-... &lt;image id&gt;-importing-&lt;nonce&gt;</c>,
    /// <c>rbd flatten</c> (the base no longer depends on the instance's disk, which may be deleted),
    /// <c>snap create</c> and <c>snap protect</c> <c>snap</c>, then <c>rename</c> to the image id, as an
    /// import does, so the base appears complete or not at all. A step that fails removes what this
    /// call made and is a warning only: the snapshot's image is complete without its base, which the
    /// first create from the image imports from the image store as for any image. A cancellation
    /// (the snapshot is stopped) removes the same and goes on up. When the snapshot as a whole fails
    /// after this (the store refuses the file), the base names no image, has no clones and is removed
    /// by the image cache manager like any unused base.
    /// </summary>
    private async Task SeedBaseAsync(Guid imageId, string disk, string snapshot, CancellationToken cancellationToken)
    {
        var baseName = BaseName(imageId);
        var temporary = $"{baseName}-importing-{Guid.NewGuid():N}";
        var gate = _gates.For(baseName);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var made = SeedStep.None;
        try
        {
            // Marked before the call: a clone interrupted half-way may exist; its undo finding nothing is fine.
            made = SeedStep.Clone;
            await _rbd.CloneAsync(disk, snapshot, temporary, cancellationToken).ConfigureAwait(false);
            await _rbd.FlattenAsync(temporary, cancellationToken).ConfigureAwait(false);
            await _rbd.CreateSnapshotAsync(temporary, BaseSnapshot, cancellationToken).ConfigureAwait(false);
            made = SeedStep.Snapshot;
            await _rbd.ProtectSnapshotAsync(temporary, BaseSnapshot, cancellationToken).ConfigureAwait(false);
            made = SeedStep.Protected;
            await _rbd.RenameAsync(temporary, baseName, cancellationToken).ConfigureAwait(false);
            LogBaseSeeded(_logger, _rbd.Settings.Pool, baseName, disk, snapshot, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception failure) when (failure is VireoException or OperationCanceledException)
        {
            await UndoSeedAsync(temporary, made).ConfigureAwait(false);
            if (failure is OperationCanceledException)
            {
                throw;
            }

            LogSeedFailed(_logger, _rbd.Settings.Pool, baseName, disk, snapshot, failure.Message);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Unprotect, snap rm, rm of the importing clone, as far as it was made; an image already gone is fine.</summary>
    private async Task UndoSeedAsync(string temporary, SeedStep made)
    {
        if (made >= SeedStep.Protected)
        {
            await TryAsync(temporary, () => _rbd.UnprotectSnapshotAsync(temporary, BaseSnapshot, CancellationToken.None)).ConfigureAwait(false);
        }

        if (made >= SeedStep.Snapshot)
        {
            await TryAsync(temporary, () => _rbd.RemoveSnapshotAsync(temporary, BaseSnapshot, CancellationToken.None)).ConfigureAwait(false);
        }

        await TryAsync(temporary, async () =>
        {
            try
            {
                await _rbd.RemoveAsync(temporary, CancellationToken.None).ConfigureAwait(false);
            }
            catch (VireoException e) when (e.Kind == ErrorKind.NotFound)
            {
                LogSeedCloneNeverMade(_logger, _rbd.Settings.Pool, temporary);
            }
        }).ConfigureAwait(false);
    }

    private enum SeedStep
    {
        None,
        Clone,
        Snapshot,
        Protected,
    }

    [LoggerMessage(EventId = 3420, EventName = "RbdBaseSeeded", Level = LogLevel.Information,
        Message = "RBD base {Pool}/{Image} made from {Pool}/{Disk}@{Snapshot} by clone and flatten with protected snapshot snap in {Seconds:F1} s; a server from this image clones it without an import")]
    private static partial void LogBaseSeeded(ILogger logger, string pool, string image, string disk, string snapshot, double seconds);

    [LoggerMessage(EventId = 3421, EventName = "RbdBaseSeedFailed", Level = LogLevel.Warning,
        Message = "RBD base {Pool}/{Image} could not be made from {Pool}/{Disk}@{Snapshot} ({Reason}); the snapshot goes on without it and the first server from the image imports it")]
    private static partial void LogSeedFailed(ILogger logger, string pool, string image, string disk, string snapshot, string reason);

    [LoggerMessage(EventId = 3422, EventName = "RbdBaseSeedCloneNeverMade", Level = LogLevel.Debug,
        Message = "RBD image {Pool}/{Image} was not there to undo: its clone failed before making it")]
    private static partial void LogSeedCloneNeverMade(ILogger logger, string pool, string image);
}
