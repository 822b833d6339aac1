using System.Collections.Concurrent;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Storage.Images;

/// <summary>
/// A snapshot's image: registered as <c>saving</c> at once (so the API's Location names it before
/// a byte exists), filled from the copy of the root disk through the same checks as an import, or
/// removed when the snapshot fails. Deleting it while it saves cancels its token, which stops the copy.
/// </summary>
public sealed partial class FileImageStore
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _saving = new();

    public async Task<ImageSaving> BeginSavingAsync(ImageImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureValid(request, requireFormat: true);
        var now = _time.GetUtcNow();
        var record = new ImageRecord(
            Guid.NewGuid(), request.Name, ImageStatus.Saving, request.DiskFormat, request.ContainerFormat, null, null, null,
            request.MinDiskGiB, request.MinRamMiB, new Dictionary<string, string>(request.Properties, StringComparer.Ordinal), now, now)
        {
            Owner = request.Owner,
            Visibility = request.Visibility,
        };
        var deleted = new CancellationTokenSource();
        _saving[record.Id] = deleted;
        try
        {
            await _registry.AddAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            EndSaving(record.Id);
            throw;
        }

        return new ImageSaving(record, deleted.Token);
    }

    public async Task<ImageRecord> FinishSavingAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var image = await _registry.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw VireoException.NotFound($"image {id} was deleted while it was being saved");
        if (image.Status != ImageStatus.Saving || image.DiskFormat is not { } format)
        {
            throw VireoException.Conflict($"{image.Label} is {image.Status.ToGlance()}, not a snapshot being saved");
        }

        var received = await ReceiveAsync(id, image.Name, format, content, progress, cancellationToken).ConfigureAwait(false);
        var active = received.Apply(image with { Status = ImageStatus.Active, UpdatedAt = _time.GetUtcNow() });
        try
        {
            await _registry.UpdateAsync(active, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DeleteQuietly(ContentPath(id));
            throw;
        }

        EndSaving(id);
        Stored(active);
        return active;
    }

    public async Task AbandonSavingAsync(Guid id, CancellationToken cancellationToken)
    {
        EndSaving(id);
        var image = await _registry.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (image is { Status: ImageStatus.Saving })
        {
            DeleteQuietly(ContentPath(id));
            await _registry.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A delete of an image being saved: the snapshot making it is told to stop.</summary>
    private void CancelSaving(Guid id)
    {
        if (_saving.TryRemove(id, out var deleted))
        {
            deleted.Cancel();
            deleted.Dispose();
        }
    }

    private void EndSaving(Guid id)
    {
        if (_saving.TryRemove(id, out var deleted))
        {
            deleted.Dispose();
        }
    }

    /// <summary>A snapshot's image left saving by a stopped service is removed at start: its copy is gone with the process.</summary>
    private static bool IsSnapshot(ImageRecord image) =>
        image.Properties.TryGetValue(SnapshotImage.ImageTypeKey, out var type) && type == SnapshotImage.ImageTypeSnapshot;
}
