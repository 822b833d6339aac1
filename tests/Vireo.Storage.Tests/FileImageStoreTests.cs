using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests;

public sealed class FileImageStoreTests : IDisposable
{
    private readonly StorageSandbox _sandbox = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Raw_import_is_stored_and_registered_active_with_size_sha256_and_virtual_size()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 3 << 20);

        var image = await _sandbox.ImportFileAsync(raw, DiskFormat.Raw, "cirros-raw");

        image.Status.ShouldBe(ImageStatus.Active);
        image.Name.ShouldBe("cirros-raw");
        image.DiskFormat.ShouldBe(DiskFormat.Raw);
        image.ContainerFormat.ShouldBe("bare");
        image.SizeBytes.ShouldBe(3 << 20);
        image.VirtualSizeBytes.ShouldBe(3 << 20);
        image.Sha256.ShouldBe(Tool.Sha256Of(raw));
        image.Md5.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(raw))));
        image.Properties.ShouldContainKeyAndValue("hw_qemu_guest_agent", "yes");
        (await _sandbox.Registry.GetAsync(image.Id, Ct)).ShouldBe(image);
        _sandbox.ImagesDirectoryEntries().ShouldBe([image.Id.ToString("D")]);
        File.ReadAllBytes(_sandbox.Store.ContentPath(image.Id)).ShouldBe(File.ReadAllBytes(raw));
    }

    [Fact]
    public async Task Qcow2_import_records_the_file_size_and_the_qcow2_virtual_size()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 2 << 20);
        var qcow2 = await Tool.MakeQcow2FromRawAsync(raw, _sandbox.ScratchPath("disk.qcow2"));

        var image = await _sandbox.ImportFileAsync(qcow2, DiskFormat.Qcow2);

        image.DiskFormat.ShouldBe(DiskFormat.Qcow2);
        image.SizeBytes.ShouldBe(new FileInfo(qcow2).Length);
        image.VirtualSizeBytes.ShouldBe(2 << 20);
        image.Sha256.ShouldBe(Tool.Sha256Of(qcow2));
        (await _sandbox.Registry.GetAsync(image.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Active);
    }

    [Fact]
    public async Task Import_keeps_the_request_limits_and_a_copy_of_the_properties()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 65536);
        var properties = new Dictionary<string, string> { ["os_distro"] = "debian" };
        await using var content = File.OpenRead(raw);

        var image = await _sandbox.Store.ImportAsync(new ImageImportRequest("d", DiskFormat.Raw, "bare", properties, MinDiskGiB: 2, MinRamMiB: 128), content, null, Ct);
        properties["os_distro"] = "changed";

        image.MinDiskGiB.ShouldBe(2);
        image.MinRamMiB.ShouldBe(128);
        image.Properties["os_distro"].ShouldBe("debian");
    }

    [Fact]
    public async Task Progress_reports_grow_to_the_total_bytes_stored()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), (1 << 20) + 12345);
        var progress = new RecordingProgress<long>();
        await using var content = new TricklingStream(File.OpenRead(raw), 100_000);

        var image = await _sandbox.Store.ImportAsync(new ImageImportRequest("p", DiskFormat.Raw, "bare", ImageRecord.NoProperties), content, progress, Ct);

        progress.Values.Count.ShouldBeGreaterThan(5);
        progress.Values.ShouldBe(progress.Values.Order().ToList());
        progress.Values[^1].ShouldBe(image.SizeBytes.ShouldNotBeNull());
        progress.Values[^1].ShouldBe((1 << 20) + 12345);
    }

    [Fact]
    public async Task Qcow2_with_a_backing_file_is_refused_and_nothing_is_kept()
    {
        var backing = Tool.MakeRaw(_sandbox.ScratchPath("host-file"), 65536);
        var qcow2 = await Tool.MakeQcow2WithBackingAsync(_sandbox.ScratchPath("evil.qcow2"), backing, "raw");

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.ImportFileAsync(qcow2, DiskFormat.Qcow2, "evil"));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldStartWith("image 'evil' is refused: the qcow2 header names a backing file");
        error.Message.ShouldContain(backing);
        error.Message.ShouldContain("[qcow2.backing-file]");
        error.Message.ShouldNotContain("[format.");
        ShouldHaveKeptNothing();
    }

    [Fact]
    public async Task Qcow2_with_an_external_data_file_is_refused_and_nothing_is_kept()
    {
        var dataFile = _sandbox.ScratchPath("data.bin");
        var qcow2 = await Tool.MakeQcow2WithDataFileAsync(_sandbox.ScratchPath("df.qcow2"), dataFile);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.ImportFileAsync(qcow2, DiskFormat.Qcow2));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("the qcow2 header names an external data file");
        error.Message.ShouldContain(dataFile);
        error.Message.ShouldContain("[qcow2.data-file]");
        ShouldHaveKeptNothing();
    }

    [Fact]
    public async Task Qcow2_declared_raw_is_refused_and_nothing_is_kept()
    {
        var qcow2 = await Tool.MakeEmptyQcow2Async(_sandbox.ScratchPath("q.qcow2"), "1M");

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.ImportFileAsync(qcow2, DiskFormat.Raw));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("the image is declared as raw but its content is qcow2");
        error.Message.ShouldContain("[format.mismatch]");
        ShouldHaveKeptNothing();
    }

    [Fact]
    public async Task Qcow2_with_a_backing_file_declared_raw_is_refused_as_qcow2()
    {
        var backing = Tool.MakeRaw(_sandbox.ScratchPath("host-file"), 65536);
        var qcow2 = await Tool.MakeQcow2WithBackingAsync(_sandbox.ScratchPath("evil.qcow2"), backing, "raw");

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.ImportFileAsync(qcow2, DiskFormat.Raw));

        error.Message.ShouldContain("[format.mismatch]");
        error.Message.ShouldContain("[qcow2.backing-file]");
        ShouldHaveKeptNothing();
    }

    [Fact]
    public async Task Raw_declared_qcow2_is_refused_and_nothing_is_kept()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 65536);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.ImportFileAsync(raw, DiskFormat.Qcow2));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("the image is declared as qcow2 but its content is raw");
        error.Message.ShouldContain("[format.mismatch]");
        ShouldHaveKeptNothing();
    }

    [Fact]
    public async Task Qcow2_magic_with_a_broken_header_is_refused_quoting_qemu_img()
    {
        var path = _sandbox.ScratchPath("broken.qcow2");
        var bytes = new byte[4096];
        new byte[] { 0x51, 0x46, 0x49, 0xFB }.CopyTo(bytes, 0);
        bytes[7] = 9; // version 9
        File.WriteAllBytes(path, bytes);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.ImportFileAsync(path, DiskFormat.Qcow2));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("[qcow2.unsupported-version]");
        error.Message.ShouldContain("9");
        ShouldHaveKeptNothing();
    }

    [Theory]
    [InlineData(DiskFormat.Ami)]
    [InlineData(DiskFormat.Ploop)]
    [InlineData(DiskFormat.Luks)]
    [InlineData(DiskFormat.Gpt)]
    public async Task Unsupported_disk_format_is_refused_naming_the_supported_ones(DiskFormat format)
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 65536);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.ImportFileAsync(raw, format, "x"));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldBe($"image 'x' is refused: disk_format '{format.Name()}' is not accepted; use one of raw, qcow2, qed, vmdk, vhd, vhdx, vdi, iso (convert other images with qemu-img convert -O qcow2)");
        ShouldHaveKeptNothing();
    }

    [Fact]
    public async Task Bad_disk_format_and_bad_known_properties_are_refused_together_before_anything_is_stored()
    {
        var properties = new Dictionary<string, string> { ["hw_disk_bus"] = "floppy", ["hw_qemu_guest_agent"] = "maybe" };
        var content = new CountingReadStream();

        var error = await Should.ThrowAsync<VireoException>(() =>
            _sandbox.Store.ImportAsync(new ImageImportRequest("bad", DiskFormat.Ploop, "bare", properties), content, null, Ct));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldStartWith("image 'bad' is refused: disk_format 'ploop' is not accepted");
        error.Message.ShouldContain("property hw_disk_bus='floppy' is not valid");
        error.Message.ShouldContain("property hw_qemu_guest_agent='maybe' is not valid");
        content.Reads.ShouldBe(0);
        ShouldHaveKeptNothing();
    }

    [Fact]
    public async Task Glance_create_then_upload_goes_queued_then_active_with_the_checked_data()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 2 << 20);
        var qcow2 = await Tool.MakeQcow2FromRawAsync(raw, _sandbox.ScratchPath("disk.qcow2"));

        var queued = await _sandbox.Store.RegisterAsync(new ImageImportRequest("two-step", DiskFormat.Qcow2, "bare", ImageRecord.NoProperties), Ct);
        queued.Status.ShouldBe(ImageStatus.Queued);
        queued.SizeBytes.ShouldBeNull();
        _sandbox.ImagesDirectoryEntries().ShouldBeEmpty();
        await using var content = File.OpenRead(qcow2);
        var active = await _sandbox.Store.UploadAsync(queued.Id, content, null, Ct);

        active.Status.ShouldBe(ImageStatus.Active);
        active.Id.ShouldBe(queued.Id);
        active.SizeBytes.ShouldBe(new FileInfo(qcow2).Length);
        active.VirtualSizeBytes.ShouldBe(2 << 20);
        active.Sha256.ShouldBe(Tool.Sha256Of(qcow2));
        (await _sandbox.Registry.GetAsync(queued.Id, Ct)).ShouldBe(active);
        _sandbox.ImagesDirectoryEntries().ShouldBe([queued.Id.ToString("D")]);
    }

    [Fact]
    public async Task A_second_upload_to_an_active_image_is_a_conflict_that_keeps_the_first_data()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 65536);
        var queued = await _sandbox.Store.RegisterAsync(new ImageImportRequest("once", DiskFormat.Raw, "bare", ImageRecord.NoProperties), Ct);
        await using (var first = File.OpenRead(raw))
        {
            await _sandbox.Store.UploadAsync(queued.Id, first, null, Ct);
        }

        await using var second = new MemoryStream(new byte[4096]);
        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.UploadAsync(queued.Id, second, null, Ct));

        error.Kind.ShouldBe(ErrorKind.Conflict);
        error.Message.ShouldContain("is active; data can be uploaded once, to a queued image");
        File.ReadAllBytes(_sandbox.Store.ContentPath(queued.Id)).ShouldBe(File.ReadAllBytes(raw));
    }

    [Fact]
    public async Task A_refused_upload_keeps_no_byte_and_leaves_the_image_queued_for_another_try()
    {
        var qcow2 = await Tool.MakeEmptyQcow2Async(_sandbox.ScratchPath("q.qcow2"), "1M");
        var queued = await _sandbox.Store.RegisterAsync(new ImageImportRequest("retry", DiskFormat.Raw, "bare", ImageRecord.NoProperties), Ct);

        await using (var wrong = File.OpenRead(qcow2))
        {
            var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.UploadAsync(queued.Id, wrong, null, Ct));
            error.Kind.ShouldBe(ErrorKind.InvalidInput);
            error.Message.ShouldContain("[format.mismatch]");
        }

        (await _sandbox.Registry.GetAsync(queued.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Queued);
        _sandbox.ImagesDirectoryEntries().ShouldBeEmpty();
        await using var right = File.OpenRead(Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 65536));
        (await _sandbox.Store.UploadAsync(queued.Id, right, null, Ct)).Status.ShouldBe(ImageStatus.Active);
    }

    [Fact]
    public async Task An_image_left_saving_by_a_killed_upload_is_queued_again_at_start_up_and_others_are_untouched()
    {
        var queued = await _sandbox.Store.RegisterAsync(new ImageImportRequest("killed", DiskFormat.Raw, "bare", ImageRecord.NoProperties), Ct);
        var saving = queued with { Status = ImageStatus.Saving };
        await _sandbox.Registry.UpdateAsync(saving, Ct);
        var active = await _sandbox.ImportFileAsync(Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 65536), DiskFormat.Raw, "fine");

        var requeued = await _sandbox.Store.RequeueInterruptedUploadsAsync(Ct);

        requeued.Select(i => i.Id).ShouldBe([queued.Id]);
        (await _sandbox.Registry.GetAsync(queued.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Queued);
        (await _sandbox.Registry.GetAsync(active.Id, Ct)).ShouldBe(active);
    }

    [Fact]
    public async Task Upload_to_an_image_without_a_disk_format_is_refused_naming_the_field()
    {
        var queued = await _sandbox.Store.RegisterAsync(new ImageImportRequest("later", null, null, ImageRecord.NoProperties), Ct);
        await using var content = new MemoryStream(new byte[4096]);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.UploadAsync(queued.Id, content, null, Ct));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("has no disk_format; set disk_format and container_format before uploading its data");
        (await _sandbox.Registry.GetAsync(queued.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Queued);
    }

    [Fact]
    public async Task Create_with_a_bad_format_and_bad_properties_registers_nothing()
    {
        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.RegisterAsync(
            new ImageImportRequest("bad", DiskFormat.Ami, "bare", new Dictionary<string, string> { ["hw_disk_bus"] = "xen" }), Ct));

        error.Message.ShouldContain("disk_format 'ami' is not accepted");
        error.Message.ShouldContain("property hw_disk_bus='xen' is not valid");
        (await _sandbox.Registry.ListAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Empty_content_is_refused()
    {
        var error = await Should.ThrowAsync<VireoException>(() =>
            _sandbox.Store.ImportAsync(new ImageImportRequest("e", DiskFormat.Raw, "bare", ImageRecord.NoProperties), new MemoryStream(), null, Ct));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("the content is empty");
        ShouldHaveKeptNothing();
    }

    [Fact]
    public async Task Cancelled_upload_keeps_no_partial_file()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 1 << 20);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new CancellingProgress(cancellation, afterBytes: 200_000);
        await using var content = new TricklingStream(File.OpenRead(raw), 65536);

        await Should.ThrowAsync<OperationCanceledException>(() =>
            _sandbox.Store.ImportAsync(new ImageImportRequest("c", DiskFormat.Raw, "bare", ImageRecord.NoProperties), content, progress, cancellation.Token));

        ShouldHaveKeptNothing();
    }

    [Fact]
    public async Task Failed_registration_removes_the_stored_bytes()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 65536);
        var refusing = new InMemoryStore();
        refusing.Failures.FailOn("Image.AddAsync", ErrorKind.Conflict);
        var store = new Images.FileImageStore(_sandbox.Settings, refusing, _sandbox.QemuImg);
        await using var content = File.OpenRead(raw);

        await Should.ThrowAsync<VireoException>(() =>
            store.ImportAsync(new ImageImportRequest("r", DiskFormat.Raw, "bare", ImageRecord.NoProperties), content, null, Ct));

        _sandbox.ImagesDirectoryEntries().ShouldBeEmpty();
    }

    [Fact]
    public async Task Stored_bytes_are_read_only_and_open_content_returns_them()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 200_000);
        var image = await _sandbox.ImportFileAsync(raw, DiskFormat.Raw);

        await using var stream = await _sandbox.Store.OpenContentAsync(image.Id, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        copy.ToArray().ShouldBe(File.ReadAllBytes(raw));
        stream.CanWrite.ShouldBeFalse();
        File.GetUnixFileMode(_sandbox.Store.ContentPath(image.Id)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.GroupRead);
    }

    [Fact]
    public async Task Delete_removes_the_bytes_and_the_metadata()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 65536);
        var image = await _sandbox.ImportFileAsync(raw, DiskFormat.Raw);

        await _sandbox.Store.DeleteAsync(image.Id, Ct);

        ShouldHaveKeptNothing();
        (await Should.ThrowAsync<VireoException>(() => _sandbox.Store.OpenContentAsync(image.Id, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
    }

    [Fact]
    public async Task Delete_of_an_unknown_image_is_not_found()
    {
        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.DeleteAsync(Guid.NewGuid(), Ct));

        error.Kind.ShouldBe(ErrorKind.NotFound);
    }

    [Fact]
    public async Task Open_content_of_an_unknown_image_is_not_found()
    {
        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.Store.OpenContentAsync(Guid.NewGuid(), Ct));

        error.Kind.ShouldBe(ErrorKind.NotFound);
    }

    private void ShouldHaveKeptNothing()
    {
        _sandbox.ImagesDirectoryEntries().ShouldBeEmpty();
        _sandbox.Registry.ListAsync(Ct).GetAwaiter().GetResult().ShouldBeEmpty();
    }

    private sealed class CountingReadStream : MemoryStream
    {
        public int Reads { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer, cancellationToken);
        }
    }

    private sealed class CancellingProgress(CancellationTokenSource cancellation, long afterBytes) : IProgress<long>
    {
        public void Report(long value)
        {
            if (value >= afterBytes)
            {
                cancellation.Cancel();
            }
        }
    }
}
