using System.Security.Cryptography;
using Vireo.Core.Ports;

namespace Vireo.Testing.Fakes;

/// <summary>
/// The one in-memory <see cref="IImageStore"/> (the bytes side; the metadata lives in an
/// <see cref="InMemoryStore"/>, which it also answers for as the catalog). Import reads the stream in
/// small chunks without keeping the bytes (only their count and hash) and records what kind of stream
/// it got, so tests can see the API streamed the body instead of buffering it. Refusals by name, for
/// the API's error paths: "busy..." is Unavailable, "refused-early..." and disk_format vhd are refused
/// before the body is read, "refused-late..." and vmdk after it; uploaded content starting with "bad"
/// is refused.
/// </summary>
public sealed class FakeImageStore(InMemoryStore registry) : IImageStore, IImageCatalog
{
    private readonly Lock _lock = new();
    private long _received;
    private readonly Dictionary<Guid, byte[]?> _content = [];
    private DateTimeOffset _lastStamp;

    /// <summary>Content up to this size is kept for <see cref="OpenContentAsync"/>; larger imports keep only their size and hashes.</summary>
    public const int KeptContentBytes = 8 << 20;

    public FakeImageStore()
        : this(new InMemoryStore())
    {
    }

    /// <summary>Where the metadata is kept.</summary>
    public InMemoryStore Registry => registry;

    public sealed record ReceivedStream(string TypeName, bool CanSeek, long Bytes, int LargestRead);

    public ReceivedStream? LastImport { get; private set; }

    /// <summary>Bytes read by the import running now.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Registers an image directly; owned by the default project and public unless said otherwise, as images made before ownership.</summary>
    public ImageRecord Add(
        string name, ImageStatus status = ImageStatus.Active, DiskFormat diskFormat = DiskFormat.Qcow2, IReadOnlyDictionary<string, string>? properties = null,
        string owner = Core.Tenancy.Owners.DefaultProjectId, Core.Tenancy.ImageVisibility visibility = Core.Tenancy.ImageVisibility.Public)
    {
        var now = Stamp();
        var image = new ImageRecord(
            Guid.NewGuid(), name, status, diskFormat, "bare", 1024, 1L << 30, new string('a', 64), 0, 0,
            properties ?? ImageRecord.NoProperties, now, now)
        {
            Md5 = new string('b', 32),
            Owner = owner,
            Visibility = visibility,
        };
        registry.Put(image);
        if (status == ImageStatus.Active)
        {
            Keep(image.Id, new byte[1024]);
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
#pragma warning disable CA5351 // Glance's checksum is MD5; it identifies, it does not protect.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        var kept = new MemoryStream();
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
            md5.AppendData(buffer, 0, read);
            if (kept is not null && kept.Length + read <= KeptContentBytes)
            {
                kept.Write(buffer, 0, read);
            }
            else
            {
                kept = null;
            }

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

        var now = Stamp();
        var image = new ImageRecord(
            Guid.NewGuid(), request.Name, ImageStatus.Active, request.DiskFormat, request.ContainerFormat, size, size,
            Convert.ToHexStringLower(sha.GetHashAndReset()), request.MinDiskGiB, request.MinRamMiB, request.Properties, now, now)
        {
            Md5 = Convert.ToHexStringLower(md5.GetHashAndReset()),
            Owner = request.Owner,
            Visibility = request.Visibility,
        };
        await Registry.AsRegistry.AddAsync(image, cancellationToken);
        Keep(image.Id, kept?.ToArray());
        return image;
    }

    public async Task<ImageRecord> RegisterAsync(ImageImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = Stamp();
        var image = new ImageRecord(
            Guid.NewGuid(), request.Name, ImageStatus.Queued, request.DiskFormat, request.ContainerFormat, null, null, null,
            request.MinDiskGiB, request.MinRamMiB, request.Properties, now, now)
        {
            Owner = request.Owner,
            Visibility = request.Visibility,
        };
        await Registry.AsRegistry.AddAsync(image, cancellationToken);
        return image;
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
#pragma warning disable CA5351 // Glance's checksum is MD5; it identifies, it does not protect.
            Md5 = Convert.ToHexStringLower(MD5.HashData(bytes)),
#pragma warning restore CA5351
        };
        await Registry.AsRegistry.UpdateAsync(active, cancellationToken);
        Keep(id, bytes);
        return active;
    }

    private readonly Dictionary<Guid, CancellationTokenSource> _saving = [];

    /// <summary>Registers a saving image (properties checked as the real store checks them: Vireo's known keys).</summary>
    public async Task<ImageSaving> BeginSavingAsync(ImageImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ImagePropertyRules.Problems(request.Properties) is { Count: > 0 } problems)
        {
            throw VireoException.InvalidInput($"image '{request.Name}' is refused: " + string.Join("; ", problems));
        }

        var now = Stamp();
        var image = new ImageRecord(
            Guid.NewGuid(), request.Name, ImageStatus.Saving, request.DiskFormat, request.ContainerFormat, null, null, null,
            request.MinDiskGiB, request.MinRamMiB, request.Properties, now, now)
        {
            Owner = request.Owner,
            Visibility = request.Visibility,
        };
        await Registry.AsRegistry.AddAsync(image, cancellationToken);
        var deleted = new CancellationTokenSource();
        lock (_lock)
        {
            _saving[image.Id] = deleted;
        }

        return new ImageSaving(image, deleted.Token);
    }

    /// <summary>Keeps the bytes and makes the image active; content starting with "bad" is refused (the image stays saving).</summary>
    public async Task<ImageRecord> FinishSavingAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var image = await GetAsync(id, cancellationToken) ?? throw VireoException.NotFound($"image {id} was deleted while it was being saved");
        if (image.Status != ImageStatus.Saving)
        {
            throw VireoException.Conflict($"{image.Label} is {image.Status.ToGlance()}, not a snapshot being saved");
        }

        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        var bytes = copy.ToArray();
        if (bytes.AsSpan().StartsWith("bad"u8))
        {
            throw VireoException.InvalidInput($"image '{image.Name}' is refused: the content is not {image.DiskFormat?.Name()} [format.mismatch]");
        }

        var active = image with
        {
            Status = ImageStatus.Active,
            SizeBytes = bytes.Length,
            VirtualSizeBytes = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
        await Registry.AsRegistry.UpdateAsync(active, cancellationToken);
        Keep(id, bytes);
        EndSaving(id, cancel: false);
        return active;
    }

    public async Task AbandonSavingAsync(Guid id, CancellationToken cancellationToken)
    {
        EndSaving(id, cancel: false);
        if (await GetAsync(id, cancellationToken) is { Status: ImageStatus.Saving })
        {
            await Registry.AsRegistry.DeleteAsync(id, cancellationToken);
        }
    }

    private void EndSaving(Guid id, bool cancel)
    {
        CancellationTokenSource? deleted;
        lock (_lock)
        {
            _saving.Remove(id, out deleted);
        }

        if (cancel)
        {
            deleted?.Cancel();
        }

        deleted?.Dispose();
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await Registry.AsRegistry.DeleteAsync(id, cancellationToken))
        {
            throw VireoException.NotFound($"image '{id}' does not exist");
        }

        EndSaving(id, cancel: true);

        lock (_lock)
        {
            _content.Remove(id);
        }
    }

    /// <summary>The stored bytes: those imported or uploaded, 1024 zero bytes for an image made by <see cref="Add"/>; NotFound when there are none.</summary>
    public Task<Stream> OpenContentAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_content.TryGetValue(id, out var bytes))
            {
                throw VireoException.NotFound($"image {id} has no stored content; import it again");
            }

            return Task.FromResult<Stream>(new MemoryStream(
                bytes ?? throw new InvalidOperationException($"the fake image store keeps content up to {KeptContentBytes} bytes; image {id} was larger"),
                writable: false));
        }
    }

    /// <summary>Null bytes: content was stored but is too large to keep here.</summary>
    private void Keep(Guid id, byte[]? bytes)
    {
        lock (_lock)
        {
            _content[id] = bytes;
        }
    }

    public Task<ImageRecord?> GetAsync(Guid id, CancellationToken cancellationToken) => Registry.AsRegistry.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<ImageRecord>> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        Registry.AsRegistry.FindByNameAsync(name, cancellationToken);

    public Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken) => Registry.AsRegistry.ListAsync(cancellationToken);

    /// <summary>Now, always later than the previous stamp, so "newest first" is the order of creation.</summary>
    private DateTimeOffset Stamp()
    {
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            _lastStamp = now > _lastStamp ? now : _lastStamp.AddTicks(1);
            return _lastStamp;
        }
    }
}
