using System.Security.Cryptography;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests.Fakes;

/// <summary>
/// Image store and catalog in memory. Import reads the stream in small chunks without
/// keeping the bytes (only their count and hash) and records what kind of stream it got,
/// so tests can see the API streamed the body instead of buffering it.
/// </summary>
public sealed class InMemoryImageStore : IImageStore, IImageCatalog
{
    private readonly Lock _lock = new();
    private readonly List<ImageRecord> _images = [];
    private long _received;

    public sealed record ReceivedStream(string TypeName, bool CanSeek, long Bytes, int LargestRead);

    public ReceivedStream? LastImport { get; private set; }

    /// <summary>Bytes read by the import running now.</summary>
    public long Received => Interlocked.Read(ref _received);

    public ImageRecord Add(string name, ImageStatus status = ImageStatus.Active, DiskFormat diskFormat = DiskFormat.Qcow2, IReadOnlyDictionary<string, string>? properties = null)
    {
        var now = DateTimeOffset.UtcNow;
        var image = new ImageRecord(
            Guid.NewGuid(), name, status, diskFormat, "bare", 1024, 1L << 30, new string('a', 64), 0, 0,
            properties ?? ImageRecord.NoProperties, now, now)
        {
            Md5 = new string('b', 32),
        };
        lock (_lock)
        {
            _images.Add(image);
        }

        return image;
    }

    public async Task<ImageRecord> ImportAsync(ImageImportRequest request, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        if (request.Name.StartsWith("busy", StringComparison.Ordinal))
        {
            throw new VireoException(ErrorKind.Unavailable, $"image '{request.Name}' cannot be received now: 4 uploads or imports are already streaming");
        }

        Interlocked.Exchange(ref _received, 0);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        var largest = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            // A store that checks the header refuses before the rest of the body has arrived.
            if (request.DiskFormat == DiskFormat.Vhd || request.Name.StartsWith("refused-early", StringComparison.Ordinal))
            {
                throw VireoException.InvalidInput($"image '{request.Name}' is refused: the content is not vhd (no 'conectix' footer)");
            }

            sha.AppendData(buffer, 0, read);
            largest = Math.Max(largest, read);
            var total = Interlocked.Add(ref _received, read);
            progress?.Report(total);
        }

        var size = Received;
        LastImport = new ReceivedStream(content.GetType().Name, content.CanSeek, size, largest);
        if (request.DiskFormat == DiskFormat.Vmdk || request.Name.StartsWith("refused-late", StringComparison.Ordinal))
        {
            throw VireoException.InvalidInput($"image '{request.Name}' is not a vmdk file; its content looks like raw");
        }

        var now = DateTimeOffset.UtcNow;
        var image = new ImageRecord(
            Guid.NewGuid(), request.Name, ImageStatus.Active, request.DiskFormat, request.ContainerFormat, size, size,
            Convert.ToHexStringLower(sha.GetHashAndReset()), request.MinDiskGiB, request.MinRamMiB, request.Properties, now, now);
        lock (_lock)
        {
            _images.Add(image);
        }

        return image;
    }

    public Task<ImageRecord> RegisterAsync(ImageImportRequest request, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var image = new ImageRecord(
            Guid.NewGuid(), request.Name, ImageStatus.Queued, request.DiskFormat, request.ContainerFormat, null, null, null,
            request.MinDiskGiB, request.MinRamMiB, request.Properties, now, now);
        lock (_lock)
        {
            _images.Add(image);
        }

        return Task.FromResult(image);
    }

    /// <summary>Reads the data and makes the image active; content starting with "bad" is refused as a store would refuse it.</summary>
    public async Task<ImageRecord> UploadAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var image = await GetAsync(id, cancellationToken) ?? throw VireoException.NotFound($"image {id} does not exist");
        if (image.Status != ImageStatus.Queued)
        {
            throw VireoException.Conflict($"{image.Label} is {image.Status.ToGlance()}; data can be uploaded once, to a queued image");
        }

        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        var bytes = copy.ToArray();
        if (bytes.AsSpan().StartsWith("bad"u8))
        {
            throw VireoException.InvalidInput($"image '{image.Name}' is refused: the image is declared as qcow2 but its content is raw [format.mismatch]");
        }

        var active = image with
        {
            Status = ImageStatus.Active,
            SizeBytes = bytes.Length,
            VirtualSizeBytes = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Md5 = new string('c', 32),
        };
        lock (_lock)
        {
            _images[_images.FindIndex(i => i.Id == id)] = active;
        }

        return active;
    }

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_images.RemoveAll(image => image.Id == id) == 0)
            {
                throw VireoException.NotFound($"image '{id}' does not exist");
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Some bytes for any image (the fake keeps no content; downloads only need a stream).</summary>
    public Task<Stream> OpenContentAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new MemoryStream("fake image content"u8.ToArray()));

    public Task<ImageRecord?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_images.FirstOrDefault(image => image.Id == id));
        }
    }

    public Task<IReadOnlyList<ImageRecord>> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<ImageRecord> list = [.. _images.Where(image => image.Name == name)];
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<ImageRecord> list = [.. _images.AsEnumerable().Reverse()];
            return Task.FromResult(list);
        }
    }
}
