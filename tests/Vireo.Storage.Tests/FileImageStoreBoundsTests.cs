using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Tests.TestSupport;

namespace Vireo.Storage.Tests;

/// <summary>The image store's bounds: image_size_cap while streaming and on virtual size, the property quota, concurrent streams.</summary>
public sealed class FileImageStoreBoundsTests : IDisposable
{
    private const int Cap = 1 << 20;

    private readonly StorageSandbox _sandbox = new(s => s with { ImageSizeCapBytes = Cap, ImagePropertyQuota = 2, MaxConcurrentUploads = 1 });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    private static ImageImportRequest Raw(string name, int properties = 0) =>
        new(name, DiskFormat.Raw, "bare", Enumerable.Range(0, properties).ToDictionary(i => $"p{i}", i => "v", StringComparer.Ordinal));

    [Fact]
    public async Task An_endless_import_stops_at_the_first_byte_over_the_cap_and_keeps_nothing()
    {
        await using var endless = new EndlessStream();

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.ImportAsync(Raw("endless"), endless, null, Ct));

        error.Kind.ShouldBe(ErrorKind.TooLarge);
        error.Message.ShouldStartWith("The incoming image is too large: The provided image is too large.");
        error.Message.ShouldContain("image_size_cap");
        endless.BytesRead.ShouldBeLessThanOrEqualTo(Cap + (1 << 20), "the store stops reading at the cap, one buffer at most past it");
        _sandbox.ImagesDirectoryEntries().ShouldBeEmpty();
        (await _sandbox.Registry.ListAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_upload_of_one_byte_over_the_cap_is_refused_the_image_stays_queued_and_exactly_the_cap_is_accepted()
    {
        var queued = await _sandbox.Store.RegisterAsync(Raw("two-step"), Ct);
        var over = Tool.MakeRaw(_sandbox.ScratchPath("over.raw"), Cap + 1);
        var exact = Tool.MakeRaw(_sandbox.ScratchPath("exact.raw"), Cap);

        await using (var content = File.OpenRead(over))
        {
            var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.UploadAsync(queued.Id, content, null, Ct));
            error.Kind.ShouldBe(ErrorKind.TooLarge);
        }

        (await _sandbox.Registry.GetAsync(queued.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Queued);
        _sandbox.ImagesDirectoryEntries().ShouldBeEmpty();

        await using (var content = File.OpenRead(exact))
        {
            (await _sandbox.Store.UploadAsync(queued.Id, content, null, Ct)).SizeBytes.ShouldBe(Cap);
        }
    }

    [Fact]
    public async Task A_small_qcow2_whose_virtual_size_is_over_the_cap_is_refused_and_nothing_is_kept()
    {
        var qcow2 = await Tool.MakeEmptyQcow2Async(_sandbox.ScratchPath("big.qcow2"), "8M");
        new FileInfo(qcow2).Length.ShouldBeLessThan(Cap);

        await using var content = File.OpenRead(qcow2);
        var error = await Should.ThrowAsync<VireoException>(() =>
            _sandbox.Store.ImportAsync(new ImageImportRequest("sparse-giant", DiskFormat.Qcow2, "bare", new Dictionary<string, string>()), content, null, Ct));

        error.Kind.ShouldBe(ErrorKind.TooLarge);
        error.Message.ShouldContain("virtual size 8388608 bytes is over the image size cap of 1048576 bytes");
        _sandbox.ImagesDirectoryEntries().ShouldBeEmpty();
        (await _sandbox.Registry.ListAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task More_properties_than_the_quota_are_refused_in_glances_words_on_create_and_on_import()
    {
        var create = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.RegisterAsync(Raw("many", properties: 3), Ct));
        await using var content = new MemoryStream(new byte[4096]);
        var import = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.ImportAsync(Raw("many", properties: 3), content, null, Ct));

        foreach (var error in new[] { create, import })
        {
            error.Kind.ShouldBe(ErrorKind.TooLarge);
            error.Message.ShouldBe("The limit has been exceeded on the number of allowed image properties. Attempted: 3, Maximum: 2");
        }

        content.Position.ShouldBe(0, "refused before a byte was read");
        (await _sandbox.Registry.ListAsync(Ct)).ShouldBeEmpty();
        (await _sandbox.Store.RegisterAsync(Raw("enough", properties: 2), Ct)).Status.ShouldBe(ImageStatus.Queued);
    }

    [Fact]
    public async Task A_stream_beyond_the_concurrent_limit_is_unavailable_stores_nothing_and_the_slot_frees_afterwards()
    {
        var queued = await _sandbox.Store.RegisterAsync(Raw("waiting"), Ct);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var held = new GatedStream(new byte[65536], gate.Task);
        var first = _sandbox.Store.ImportAsync(Raw("first"), held, null, Ct);
        await held.Started.WaitAsync(TimeSpan.FromMinutes(1), Ct);

        await using var second = new MemoryStream(new byte[65536]);
        var busy = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.ImportAsync(Raw("second"), second, null, Ct));
        var busyUpload = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.UploadAsync(queued.Id, second, null, Ct));

        busy.Kind.ShouldBe(ErrorKind.Unavailable);
        busy.Message.ShouldContain("max_concurrent_uploads");
        busyUpload.Kind.ShouldBe(ErrorKind.Unavailable);
        second.Position.ShouldBe(0);
        (await _sandbox.Registry.GetAsync(queued.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Queued);

        gate.SetResult();
        (await first).Status.ShouldBe(ImageStatus.Active);
        second.Position = 0;
        (await _sandbox.Store.UploadAsync(queued.Id, second, null, Ct)).Status.ShouldBe(ImageStatus.Active);
    }

    /// <summary>Zeros forever, counting what was read.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Its bytes, after the gate opens; <see cref="Started"/> completes at the first read.</summary>
    private sealed class GatedStream(byte[] bytes, Task gate) : MemoryStream(bytes)
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _started.TrySetResult();
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            return await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }
}
