using Vireo.Core;
using Vireo.Storage.Qemu;
using Vireo.Storage.Tests.TestSupport;

namespace Vireo.Storage.Tests;

public sealed class QemuImgTests : IDisposable
{
    private readonly StorageSandbox _sandbox = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Info_reads_format_sizes_and_qcow2_specifics()
    {
        var qcow2 = await Tool.MakeEmptyQcow2Async(_sandbox.ScratchPath("a.qcow2"), "3M");

        var info = await _sandbox.QemuImg.InfoAsync(qcow2, DiskFormat.Qcow2, cancellationToken: Ct);

        info.Format.ShouldBe("qcow2");
        info.VirtualSizeBytes.ShouldBe(3 << 20);
        info.ActualSizeBytes.ShouldNotBeNull().ShouldBeGreaterThan(0);
        info.ClusterSizeBytes.ShouldBe(65536);
        info.HasBackingFile.ShouldBeFalse();
        info.DataFile.ShouldBeNull();
        info.FormatSpecific.ShouldNotBeNull().Type.ShouldBe("qcow2");
        info.FormatSpecific.Compat.ShouldBe("1.1");
        info.FormatSpecific.Corrupt.ShouldBe(false);
        info.Json.ShouldContain("\"virtual-size\"");
    }

    [Fact]
    public async Task Info_reports_backing_file_and_its_format()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("base.raw"), 1 << 20);
        var overlay = await Tool.MakeQcow2WithBackingAsync(_sandbox.ScratchPath("overlay.qcow2"), raw, "raw");

        var info = await _sandbox.QemuImg.InfoAsync(overlay, DiskFormat.Qcow2, cancellationToken: Ct);

        info.HasBackingFile.ShouldBeTrue();
        info.BackingFilename.ShouldBe(raw);
        info.FullBackingFilename.ShouldBe(raw);
        info.BackingFilenameFormat.ShouldBe("raw");
    }

    [Fact]
    public async Task Info_reports_a_qcow2_external_data_file()
    {
        var dataFile = _sandbox.ScratchPath("data.bin");
        var qcow2 = await Tool.MakeQcow2WithDataFileAsync(_sandbox.ScratchPath("df.qcow2"), dataFile);

        var info = await _sandbox.QemuImg.InfoAsync(qcow2, DiskFormat.Qcow2, cancellationToken: Ct);

        info.DataFile.ShouldBe(dataFile);
        info.FormatSpecific.ShouldNotBeNull().DataFileRaw.ShouldBe(false);
    }

    [Fact]
    public async Task Info_with_force_share_reads_a_file_and_reports_it()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("shared.raw"), 65536);

        var info = await _sandbox.QemuImg.InfoAsync(raw, DiskFormat.Raw, forceShare: true, cancellationToken: Ct);

        info.Format.ShouldBe("raw");
        info.VirtualSizeBytes.ShouldBe(65536);
    }

    [Fact]
    public async Task Info_never_probes_a_qcow2_file_read_as_raw_is_raw()
    {
        var qcow2 = await Tool.MakeEmptyQcow2Async(_sandbox.ScratchPath("q.qcow2"), "1G");

        var info = await _sandbox.QemuImg.InfoAsync(qcow2, DiskFormat.Raw, cancellationToken: Ct);

        info.Format.ShouldBe("raw");
        // The file's own length (rounded up to 512-byte sectors), not the qcow2 header's 1 GiB.
        info.VirtualSizeBytes.ShouldBeLessThan(1L << 20);
    }

    [Fact]
    public async Task Info_failure_quotes_qemu_img_own_message_without_its_prefix()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("plain.raw"), 65536);

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.QemuImg.InfoAsync(raw, DiskFormat.Qcow2, cancellationToken: Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldStartWith($"qemu-img info failed for {raw}: ");
        error.Message.ShouldContain("Image is not in qcow2 format");
        error.Message.ShouldNotContain("qemu-img: ");
        error.InnerException.ShouldBeOfType<QemuImgFailure>().ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task Info_stopped_by_its_address_space_limit_says_so()
    {
        using var sandbox = new StorageSandbox(s => s with { AddressSpaceLimitBytes = 16L << 20 });
        var qcow2 = await Tool.MakeEmptyQcow2Async(sandbox.ScratchPath("q.qcow2"), "1M");

        var error = await Should.ThrowAsync<VireoException>(() => sandbox.QemuImg.InfoAsync(qcow2, DiskFormat.Qcow2, cancellationToken: Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldContain("killed by signal");
        error.Message.ShouldContain($"under its limits (30 s of CPU, {16L << 20} bytes of address space)");
        error.InnerException.ShouldBeOfType<QemuImgFailure>().KilledBySignal.ShouldBeTrue();
    }

    [Fact]
    public async Task Create_overlay_writes_absolute_backing_path_explicit_backing_format_and_size()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("base.raw"), 1 << 20);
        var overlay = _sandbox.ScratchPath("disk");

        await _sandbox.QemuImg.CreateOverlayAsync(overlay, raw, DiskFormat.Raw, 5L << 20, Ct);

        var info = await _sandbox.QemuImg.InfoAsync(overlay, DiskFormat.Qcow2, cancellationToken: Ct);
        info.BackingFilename.ShouldBe(raw);
        info.BackingFilenameFormat.ShouldBe("raw");
        info.VirtualSizeBytes.ShouldBe(5L << 20);
    }

    [Fact]
    public async Task Create_overlay_without_size_takes_the_backing_file_size()
    {
        var qcow2 = await Tool.MakeEmptyQcow2Async(_sandbox.ScratchPath("base.qcow2"), "7M");
        var overlay = _sandbox.ScratchPath("disk");

        await _sandbox.QemuImg.CreateOverlayAsync(overlay, qcow2, DiskFormat.Qcow2, sizeBytes: null, Ct);

        var info = await _sandbox.QemuImg.InfoAsync(overlay, DiskFormat.Qcow2, cancellationToken: Ct);
        info.VirtualSizeBytes.ShouldBe(7L << 20);
        info.BackingFilenameFormat.ShouldBe("qcow2");
    }

    [Fact]
    public async Task Paths_with_spaces_quotes_and_shell_characters_are_passed_verbatim()
    {
        var directory = _sandbox.ScratchPath("a dir; with $(shell) 'quotes'");
        Directory.CreateDirectory(directory);
        var raw = Tool.MakeRaw(Path.Join(directory, "base \"x\".raw"), 65536);
        var overlay = Path.Join(directory, "disk;rm -rf x");

        await _sandbox.QemuImg.CreateOverlayAsync(overlay, raw, DiskFormat.Raw, sizeBytes: null, Ct);

        (await _sandbox.QemuImg.InfoAsync(overlay, DiskFormat.Qcow2, cancellationToken: Ct)).BackingFilename.ShouldBe(raw);
    }

    [Fact]
    public async Task Convert_reports_progress_up_to_100_and_writes_the_target_format()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("src.raw"), 4 << 20);
        var target = _sandbox.ScratchPath("dst.qcow2");
        var progress = new RecordingProgress<double>();

        await _sandbox.QemuImg.ConvertAsync(raw, DiskFormat.Raw, target, DiskFormat.Qcow2, progress, Ct);

        progress.Values.ShouldNotBeEmpty();
        progress.Values[^1].ShouldBe(100);
        progress.Values.ShouldBe(progress.Values.Order().ToList());
        var info = await _sandbox.QemuImg.InfoAsync(target, DiskFormat.Qcow2, cancellationToken: Ct);
        info.VirtualSizeBytes.ShouldBe(4 << 20);
    }

    [Fact]
    public async Task Resize_grows_the_virtual_size()
    {
        var qcow2 = await Tool.MakeEmptyQcow2Async(_sandbox.ScratchPath("r.qcow2"), "1M");

        await _sandbox.QemuImg.ResizeAsync(qcow2, DiskFormat.Qcow2, 3L << 20, Ct);

        (await _sandbox.QemuImg.InfoAsync(qcow2, DiskFormat.Qcow2, cancellationToken: Ct)).VirtualSizeBytes.ShouldBe(3L << 20);
    }

    [Fact]
    public async Task Resize_failure_names_the_path_and_quotes_qemu_img()
    {
        var qcow2 = await Tool.MakeEmptyQcow2Async(_sandbox.ScratchPath("r.qcow2"), "4M");

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.QemuImg.ResizeAsync(qcow2, DiskFormat.Qcow2, 1L << 20, Ct));

        error.Kind.ShouldBe(ErrorKind.Failed);
        error.Message.ShouldStartWith($"qemu-img resize failed for {qcow2}: ");
        error.Message.ShouldContain("shrink");
    }

    [Theory]
    [InlineData("relative/disk")]
    [InlineData("-f")]
    [InlineData("json:{\"driver\":\"file\"}")]
    [InlineData("nbd:localhost:10809")]
    public async Task Relative_paths_and_protocol_strings_are_refused_before_running_anything(string path)
    {
        await Should.ThrowAsync<ArgumentException>(() => _sandbox.QemuImg.InfoAsync(path, DiskFormat.Raw, cancellationToken: Ct));
        await Should.ThrowAsync<ArgumentException>(() => _sandbox.QemuImg.CreateOverlayAsync(_sandbox.ScratchPath("d"), path, DiskFormat.Raw, null, Ct));
    }

    [Theory]
    [InlineData((DiskFormat)99)]
    [InlineData(DiskFormat.Ploop)]
    public async Task A_format_qemu_img_is_never_given_is_refused_before_running_anything(DiskFormat format)
    {
        await Should.ThrowAsync<ArgumentException>(() => _sandbox.QemuImg.InfoAsync(_sandbox.ScratchPath("x"), format, cancellationToken: Ct));
    }

    [Fact]
    public async Task Missing_qemu_img_is_a_configuration_error_naming_the_package()
    {
        using var sandbox = new StorageSandbox(s => s with { QemuImgPath = "/nonexistent/qemu-img" });
        var raw = Tool.MakeRaw(sandbox.ScratchPath("b.raw"), 65536);

        var create = await Should.ThrowAsync<VireoException>(() => sandbox.QemuImg.CreateOverlayAsync(sandbox.ScratchPath("d"), raw, DiskFormat.Raw, null, Ct));
        var info = await Should.ThrowAsync<VireoException>(() => sandbox.QemuImg.InfoAsync(raw, DiskFormat.Raw, cancellationToken: Ct));

        create.Kind.ShouldBe(ErrorKind.Configuration);
        create.Message.ShouldContain("qemu-utils");
        info.Kind.ShouldBe(ErrorKind.Configuration);
        info.Message.ShouldContain("qemu-utils");
    }

    [Fact]
    public async Task Missing_prlimit_is_a_configuration_error_naming_util_linux()
    {
        using var sandbox = new StorageSandbox(s => s with { PrlimitPath = "/nonexistent/prlimit" });
        var raw = Tool.MakeRaw(sandbox.ScratchPath("b.raw"), 65536);

        var error = await Should.ThrowAsync<VireoException>(() => sandbox.QemuImg.InfoAsync(raw, DiskFormat.Raw, cancellationToken: Ct));

        error.Kind.ShouldBe(ErrorKind.Configuration);
        error.Message.ShouldContain("util-linux");
    }
}
