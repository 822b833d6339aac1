using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Storage.Tests.TestSupport;

/// <summary>Counts how often image content is opened (each open is one base fill), and can slow opens down.</summary>
public sealed class CountingImageStore(IImageStore inner) : IImageStore
{
    private int _opens;

    public int Opens => Volatile.Read(ref _opens);

    /// <summary>How long each open waits first, to widen race windows.</summary>
    public TimeSpan OpenDelay { get; set; }

    public Task<ImageRecord> ImportAsync(ImageImportRequest request, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) =>
        inner.ImportAsync(request, content, progress, cancellationToken);

    public Task<ImageRecord> RegisterAsync(ImageImportRequest request, CancellationToken cancellationToken) => inner.RegisterAsync(request, cancellationToken);

    public Task<ImageRecord> UploadAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) =>
        inner.UploadAsync(id, content, progress, cancellationToken);

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken) => inner.DeleteAsync(id, cancellationToken);

    public Task<ImageSaving> BeginSavingAsync(ImageImportRequest request, CancellationToken cancellationToken) => inner.BeginSavingAsync(request, cancellationToken);

    public Task<ImageRecord> FinishSavingAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) =>
        inner.FinishSavingAsync(id, content, progress, cancellationToken);

    public Task AbandonSavingAsync(Guid id, CancellationToken cancellationToken) => inner.AbandonSavingAsync(id, cancellationToken);

    public async Task<Stream> OpenContentAsync(Guid id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opens);
        if (OpenDelay > TimeSpan.Zero)
        {
            await Task.Delay(OpenDelay, cancellationToken);
        }

        return await inner.OpenContentAsync(id, cancellationToken);
    }
}
