using Vireo.Core;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing;

namespace Vireo.Storage.Tests;

/// <summary>
/// Every qemu-img verb goes through the one runner: a stand-in qemu-img reports the limits and the
/// environment it was given, and fails so its message comes back in the error.
/// </summary>
public sealed class QemuImgLimitsTests : IDisposable
{
    private readonly StorageSandbox _sandbox;
    private readonly string _fake;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public QemuImgLimitsTests()
    {
        var root = Path.Join(Path.GetTempPath(), "vireo-storage-tests", "fake-qemu-img-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        _fake = Path.Join(root, "qemu-img");
        FakeExecutable.Write(_fake, "#!/bin/sh\necho \"qemu-img: cpu=$(ulimit -t) as=$(ulimit -v) vars=$(env | grep -v '^PWD=' | wc -l) path=$PATH\" >&2\nexit 1\n");
        _sandbox = new StorageSandbox(s => s with { QemuImgPath = _fake });
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        Directory.Delete(Path.GetDirectoryName(_fake)!, recursive: true);
    }

    [Fact]
    public async Task Info_create_and_resize_run_under_the_short_limits_and_convert_under_the_long_ones_with_two_variables()
    {
        var path = _sandbox.ScratchPath("x");
        var info = await Should.ThrowAsync<VireoException>(() => _sandbox.QemuImg.InfoAsync(path, DiskFormat.Raw, cancellationToken: Ct));
        var create = await Should.ThrowAsync<VireoException>(() => _sandbox.QemuImg.CreateOverlayAsync(path, _sandbox.ScratchPath("b"), DiskFormat.Raw, null, Ct));
        var resize = await Should.ThrowAsync<VireoException>(() => _sandbox.QemuImg.ResizeAsync(path, DiskFormat.Raw, 1 << 20, Ct));
        var convert = await Should.ThrowAsync<VireoException>(() => _sandbox.QemuImg.ConvertAsync(path, DiskFormat.Qcow2, _sandbox.ScratchPath("y"), DiskFormat.Raw, null, Ct));

        foreach (var short_ in new[] { info, create, resize })
        {
            short_.Kind.ShouldBe(ErrorKind.Failed);
            short_.Message.ShouldContain("cpu=30 as=2097152 vars=2 path=/usr/sbin:/usr/bin:/sbin:/bin");
        }

        convert.Message.ShouldContain("cpu=14400 as=8388608 vars=2");
    }

    [Fact]
    public async Task A_no_space_message_from_qemu_img_is_the_storage_full_refusal()
    {
        File.WriteAllText(_fake, "#!/bin/sh\necho 'qemu-img: error while writing at byte 0: No space left on device' >&2\nexit 1\n");

        var error = await Should.ThrowAsync<VireoException>(() => _sandbox.QemuImg.ConvertAsync(_sandbox.ScratchPath("a"), DiskFormat.Qcow2, _sandbox.ScratchPath("b"), DiskFormat.Raw, null, Ct));

        error.Kind.ShouldBe(ErrorKind.TooLarge);
        error.Message.ShouldStartWith("Image storage media is full: qemu-img convert");
    }
}
