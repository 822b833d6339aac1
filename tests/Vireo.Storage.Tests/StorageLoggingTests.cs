using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Vireo.Core;
using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;
using Vireo.Storage.Disks;
using Vireo.Storage.Images;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing;

namespace Vireo.Storage.Tests;

/// <summary>Storage says what it decided at debug and what it could not do at warning, each with its event id; stored bytes are counted.</summary>
public sealed class StorageLoggingTests : IDisposable
{
    // An image size no other test uses, so the process-wide counter's measurement is recognisably this test's.
    private const int ImageBytes = 2411 * 512;

    private readonly StorageSandbox _sandbox = new();
    private readonly RecordingLogger<FileImageStore> _storeLog = new();
    private readonly FileImageStore _store;

    public StorageLoggingTests() =>
        _store = new FileImageStore(_sandbox.Settings, _sandbox.Registry, _sandbox.QemuImg, logger: _storeLog);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_stored_image_is_logged_with_event_3320_and_its_bytes_are_counted()
    {
        var stored = new ConcurrentQueue<long>();
        using var listener = ImageBytesListener(stored);
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), ImageBytes);

        var image = await ImportAsync(raw, DiskFormat.Raw, "logged");

        var entry = _storeLog.WithId(3320).ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Debug);
        entry.Message.ShouldContain(image.Label);
        entry.Message.ShouldContain(ImageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        stored.ShouldContain(ImageBytes);
    }

    [Fact]
    public async Task A_refused_image_is_logged_with_event_3321_and_no_bytes_are_counted()
    {
        var stored = new ConcurrentQueue<long>();
        using var listener = ImageBytesListener(stored);
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), ImageBytes);
        var qcow2 = await Tool.MakeQcow2FromRawAsync(raw, _sandbox.ScratchPath("disk.qcow2"));

        await Should.ThrowAsync<VireoException>(() => ImportAsync(qcow2, DiskFormat.Raw, "mislabelled"));

        _storeLog.WithId(3321).ShouldHaveSingleItem().Message.ShouldContain("mislabelled");
        _storeLog.WithId(3320).ShouldBeEmpty();
        stored.ShouldNotContain(new FileInfo(qcow2).Length);
    }

    [Fact]
    public async Task A_root_disk_and_a_reused_base_and_removed_files_are_logged_at_debug()
    {
        var raw = Tool.MakeRaw(_sandbox.ScratchPath("disk.raw"), 1 << 20);
        var image = await ImportAsync(raw, DiskFormat.Raw, "base");
        var cacheLog = new RecordingLogger<BaseImageCache>();
        var disksLog = new RecordingLogger<InstanceDisks>();
        var disks = new InstanceDisks(_sandbox.Settings, new BaseImageCache(_sandbox.Settings, _store, _sandbox.QemuImg, logger: cacheLog), _sandbox.QemuImg, logger: disksLog);
        var first = NewInstance(image);
        var second = NewInstance(image);

        await disks.CreateRootDiskAsync(first, image, Flavor(), null, Ct);
        await disks.CreateRootDiskAsync(second, image, Flavor(), null, Ct);
        await disks.DeleteInstanceFilesAsync(first.Id, Ct);
        await disks.DeleteInstanceFilesAsync(first.Id, Ct); // nothing left: nothing said

        cacheLog.Entries.Select(entry => entry.EventId.Id).ShouldBe([3301, 3303, 3300]);
        cacheLog.WithId(3300).ShouldHaveSingleItem().Level.ShouldBe(LogLevel.Debug);
        disksLog.Entries.Select(entry => entry.EventId.Id).ShouldBe([3310, 3310, 3311]);
        disksLog.Entries.ShouldAllBe(entry => entry.Level == LogLevel.Debug);
        disksLog.WithId(3311).ShouldHaveSingleItem().Message.ShouldContain(first.Id.ToString());
    }

    [Fact]
    public void A_removed_leftover_is_logged_with_event_3330()
    {
        var images = Directory.CreateDirectory(_sandbox.Settings.ImagesDirectory).FullName;
        var partial = Path.Join(images, ".partial-" + Guid.NewGuid());
        File.WriteAllText(partial, "x");
        var log = new RecordingLogger<FileImageStore>();

        StorageLeftovers.Remove(_sandbox.Settings, DateTimeOffset.UtcNow, StorageLeftovers.DefaultStaleAfter, log);

        log.WithId(3330).ShouldHaveSingleItem().Message.ShouldContain(partial);
    }

    private async Task<ImageRecord> ImportAsync(string path, DiskFormat diskFormat, string name)
    {
        await using var content = File.OpenRead(path);
        return await _store.ImportAsync(new ImageImportRequest(name, diskFormat, "bare", new Dictionary<string, string>()), content, null, Ct);
    }

    private static MeterListener ImageBytesListener(ConcurrentQueue<long> stored)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == VireoMetrics.MeterName && instrument.Name == "vireo.image.stored")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => stored.Enqueue(value));
        listener.Start();
        return listener;
    }

    private static Instance NewInstance(ImageRecord image)
    {
        var now = DateTimeOffset.UtcNow;
        return new Instance(Guid.NewGuid(), "vm", image.Id, "1", VmState.Building, TaskState.BlockDeviceMapping, PowerState.NoState, null, "host", now, now);
    }

    private static Flavor Flavor() => new("1", "m1.tiny", 1, 128, 1, 0, 0, Core.Flavor.NoExtraSpecs);
}
