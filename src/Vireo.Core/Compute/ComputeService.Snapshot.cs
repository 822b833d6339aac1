using System.Diagnostics;
using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

/// <summary>An accepted snapshot: the server with its task, the new image (saving) and the end of the copy.</summary>
public sealed record SnapshotOperation(Instance Accepted, ImageRecord Image, Task<Instance> Completion);

public sealed partial class ComputeService
{
    /// <summary>
    /// Nova's createImage (nova/compute/api.py snapshot): checks the server (NotFound first), the
    /// name, the state table and whether this backend can copy the disk as the guest is now
    /// (Conflict with the reason otherwise); registers the new image as saving with the source
    /// image's properties plus image_type, instance_uuid and base_image_ref; sets the task
    /// image_snapshot_pending; then copies the root disk in the background: live while the guest
    /// runs (the hypervisor's point-in-time copy), else the stored disk with its format named. A
    /// failure (or the image deleted while saving) removes the image and the temporary file and
    /// only clears the task: the guest stays as it was.
    /// </summary>
    public Task<SnapshotOperation> BeginCreateImageAsync(
        string serverRef, string? name, IReadOnlyDictionary<string, string>? metadata, RequestContext context, CancellationToken cancellationToken) =>
        OperationMetering.CountRefusalsAsync(ComputeOperation.Snapshot, _logger, () => AcceptSnapshotAsync(serverRef, name, metadata, context, cancellationToken));

    /// <summary>The same, waiting for the end; returns the active image.</summary>
    public async Task<ImageRecord> CreateImageAsync(
        string serverRef, string name, IReadOnlyDictionary<string, string>? metadata, RequestContext context, CancellationToken cancellationToken)
    {
        var operation = await BeginCreateImageAsync(serverRef, name, metadata, context, cancellationToken).ConfigureAwait(false);
        await operation.Completion.ConfigureAwait(false);
        return await _images.GetAsync(operation.Image.Id, cancellationToken).ConfigureAwait(false)
            ?? throw VireoException.NotFound($"{operation.Image.Label} was deleted after it was saved");
    }

    private async Task<SnapshotOperation> AcceptSnapshotAsync(
        string serverRef, string? name, IReadOnlyDictionary<string, string>? metadata, RequestContext context, CancellationToken cancellationToken)
    {
        var instance = await FindLiveAsync(serverRef, context, cancellationToken).ConfigureAwait(false);
        if (SnapshotImage.NameProblem(name) is { } problem)
        {
            throw VireoException.InvalidInput(problem);
        }

        Transitions.EnsureAllowed(ComputeOperation.Snapshot, instance);
        var store = _imageStore ?? throw new VireoException(ErrorKind.Unavailable, "this service has no image store to save snapshots in");
        var guest = await _hypervisor.GetGuestAsync(instance.Id, cancellationToken).ConfigureAwait(false)
            ?? throw VireoException.Conflict($"{instance.Label} has no guest on this host (its build failed or the guest was removed); it has no disk to snapshot");
        if (SnapshotImage.Decide(guest.PowerState, _disks.RunningRootDiskCopy, instance.Label).Refusal is { } refusal)
        {
            throw VireoException.Conflict(refusal);
        }

        var source = await _images.GetAsync(instance.ImageId, cancellationToken).ConfigureAwait(false);
        // Nova's snapshot is private to the server's project (nova/compute/api.py _initialize_instance_snapshot_metadata).
        var request = SnapshotImage.Request(name!, instance, source, metadata) with { Owner = instance.ProjectId, Visibility = ImageVisibility.Private };
        var accepted = await AcceptAsync(instance.Id, ComputeOperation.Snapshot, cancellationToken).ConfigureAwait(false);
        ImageSaving saving;
        try
        {
            saving = await store.BeginSavingAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ClearSnapshotTaskQuietlyAsync(instance.Id).ConfigureAwait(false);
            throw;
        }

        var requestId = context.RequestId;
        await RecordActionQuietlyAsync(accepted, InstanceActionNames.CreateImage, requestId).ConfigureAwait(false);
        var completion = _running.Start(accepted.Id, ComputeOperation.Snapshot, token => RunSnapshotAsync(accepted, store, saving, requestId, token));
        return new SnapshotOperation(accepted, saving.Image, completion);
    }

    private async Task<Instance> RunSnapshotAsync(Instance accepted, IImageStore store, ImageSaving saving, string requestId, CancellationToken cancellationToken)
    {
        using var lease = await _gates.EnterAsync(accepted.Id, CancellationToken.None).ConfigureAwait(false);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, saving.Deleted);
        var token = both.Token;
        var image = saving.Image;
        var format = image.DiskFormat ?? DiskFormat.Qcow2;
        var path = _disks.SnapshotFilePath(accepted.Id, image.Id);
        var started = Stopwatch.GetTimestamp();
        SnapshotMethod? method = null;
        try
        {
            await SetSnapshotTaskAsync(accepted, TaskState.ImageSnapshot, token).ConfigureAwait(false);

            // Decided again under the gate: the guest may have stopped by itself since the request.
            var guest = await _hypervisor.GetGuestAsync(accepted.Id, token).ConfigureAwait(false)
                ?? throw VireoException.Conflict($"{accepted.Label} has no guest any more; it has no disk to snapshot");
            var (decided, refusal) = SnapshotImage.Decide(guest.PowerState, _disks.RunningRootDiskCopy, accepted.Label);
            method = decided ?? throw VireoException.Conflict(refusal!);
            SnapshotLog.Started(_logger, accepted.Label, image.Label, method.Value.ToString(), format.Name());

            await SetSnapshotTaskAsync(accepted, TaskState.ImagePendingUpload, token).ConfigureAwait(false);
            if (method == SnapshotMethod.Live)
            {
                await _hypervisor.CopyRunningRootDiskAsync(accepted.Id, path, format, token).ConfigureAwait(false);
            }
            else
            {
                await _disks.ExportRootDiskAsync(accepted.Id, image.Id, path, format, token).ConfigureAwait(false);
            }

            await SetSnapshotTaskAsync(accepted, TaskState.ImageUploading, token).ConfigureAwait(false);
            ImageRecord active;
            var content = await _disks.OpenSnapshotFileAsync(path, token).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                active = await store.FinishSavingAsync(image.Id, content, progress: null, token).ConfigureAwait(false);
            }

            var done = await SetSnapshotTaskAsync(accepted, null, CancellationToken.None).ConfigureAwait(false);
            SnapshotLog.Completed(_logger, accepted.Label, active.Label, active.SizeBytes, method.Value.ToString(), Stopwatch.GetElapsedTime(started).TotalSeconds);
            await FinishActionQuietlyAsync(accepted.Id, requestId, ActionResult.Success, message: null).ConfigureAwait(false);
            return done;
        }
        catch (Exception exception)
        {
            var (kind, message) = Describe(exception);
            if (saving.Deleted.IsCancellationRequested)
            {
                (kind, message) = (ErrorKind.Conflict, $"{image.Label} was deleted while it was being saved, so the snapshot was stopped");
            }

            // The server's task first, the image second: whoever sees the image gone (the CLI waiting on
            // it) then reads the server as it was left, not a task about to be cleared.
            await ClearSnapshotTaskQuietlyAsync(accepted.Id).ConfigureAwait(false);
            await AbandonImageQuietlyAsync(store, image.Id).ConfigureAwait(false);
            SnapshotLog.Failed(_logger, accepted.Label, image.Label, message);
            var reason = $"'createImage' failed: {message}";
            await FinishActionQuietlyAsync(accepted.Id, requestId, ActionResult.Error, reason).ConfigureAwait(false);
            throw new VireoException(kind, $"'createImage' of {accepted.Label} failed: {message}; the image was removed and the server left as it was", exception);
        }
        finally
        {
            await RemoveSnapshotFileQuietlyAsync(path).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves the snapshot to its next task (null: done), only while the row still carries one of the
    /// snapshot's tasks; Conflict when another operation (a delete) took the server over.
    /// </summary>
    private async Task<Instance> SetSnapshotTaskAsync(Instance accepted, TaskState? next, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var latest = await _store.GetAsync(accepted.Id, cancellationToken).ConfigureAwait(false);
            if (latest is null or { IsDeleted: true } || latest.TaskState is not { } task || !Transitions.SnapshotTasks.Contains(task))
            {
                var by = latest is null ? "a delete" : latest.TaskState.ToNova() ?? latest.VmState.ToNova();
                throw VireoException.Conflict($"the snapshot of {accepted.Label} was overtaken by {by}");
            }

            try
            {
                return await _store.UpdateAsync(latest with { TaskState = next, UpdatedAt = Now }, cancellationToken).ConfigureAwait(false);
            }
            catch (VireoException conflict) when (conflict.Kind == ErrorKind.Conflict && attempt < _options.ConcurrentUpdateAttempts)
            {
                // Someone else changed the row first; look again.
                CoreLog.ConcurrentUpdateRetried(_logger, accepted.Id, attempt);
            }
        }
    }

    private async Task ClearSnapshotTaskQuietlyAsync(Guid instanceId)
    {
        try
        {
            var latest = await _store.GetAsync(instanceId, CancellationToken.None).ConfigureAwait(false);
            if (latest is { IsDeleted: false, TaskState: { } task } && Transitions.SnapshotTasks.Contains(task))
            {
                await SetSnapshotTaskAsync(latest, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // Start-up reconciliation settles a task left behind.
            SnapshotLog.TaskNotCleared(_logger, instanceId, exception.Message);
        }
    }

    private async Task AbandonImageQuietlyAsync(IImageStore store, Guid imageId)
    {
        try
        {
            await store.AbandonSavingAsync(imageId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Logged as an error: the operator has an image to delete.
            SnapshotLog.ImageNotRemoved(_logger, imageId, exception.Message);
        }
    }

    private async Task RemoveSnapshotFileQuietlyAsync(string path)
    {
        try
        {
            await _disks.RemoveSnapshotFileAsync(path, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The file is in the instance directory, which a delete removes.
            SnapshotLog.FileNotRemoved(_logger, path, exception.Message);
        }
    }
}
