using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.Storage.Disks;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Images;
using Vireo.Storage.Qemu;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests.TestSupport;

/// <summary>
/// A state_path in a fresh temporary directory with a real image store and instance disks
/// over it; everything is removed on dispose.
/// </summary>
public sealed class StorageSandbox : IDisposable
{
    /// <param name="backend">The image backend of the instance disks; null: qcow2.</param>
    public StorageSandbox(Func<StorageSettings, StorageSettings>? adjust = null, Func<QemuImg, StorageSettings, IImageBackend>? backend = null)
    {
        Root = Path.Join(Path.GetTempPath(), "vireo-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Scratch = Path.Join(Root, "scratch");
        Directory.CreateDirectory(Scratch);
        var state = Path.Join(Root, "state");
        var settings = new StorageSettings(state, Path.Join(state, "instances")) { InstallationId = InstallationId, Host = HostName };
        Settings = adjust is null ? settings : adjust(settings);
        QemuImg = new QemuImg(Settings);
        Store = new FileImageStore(Settings, Registry, QemuImg);
        CountingStore = new CountingImageStore(Store);
        Disks = new InstanceDisks(Settings, CountingStore, QemuImg, backend: backend?.Invoke(QemuImg, Settings));
    }

    public const string InstallationId = "installation-1";

    public const string HostName = "compute1";

    /// <summary>The temporary directory holding everything.</summary>
    public string Root { get; }

    /// <summary>Where tests make their own image files (outside state_path).</summary>
    public string Scratch { get; }

    public StorageSettings Settings { get; }

    /// <summary>The image metadata (the in-memory store of tests/Vireo.Testing, held to the SQLite store's contract).</summary>
    public IImageRegistry Registry { get; } = new InMemoryStore();

    public QemuImg QemuImg { get; }

    public FileImageStore Store { get; }

    /// <summary>The store as the instance disks see it, counting base fills.</summary>
    public CountingImageStore CountingStore { get; }

    public InstanceDisks Disks { get; }

    public string ScratchPath(string name) => Path.Join(Scratch, name);

    /// <summary>Names in the images directory (none when it does not exist).</summary>
    public IReadOnlyList<string> ImagesDirectoryEntries() =>
        Directory.Exists(Settings.ImagesDirectory)
            ? [.. Directory.EnumerateFileSystemEntries(Settings.ImagesDirectory).Select(Path.GetFileName).OfType<string>()]
            : [];

    /// <summary>Imports a file the test made, as a client would stream it.</summary>
    public async Task<ImageRecord> ImportFileAsync(string path, DiskFormat diskFormat, string name = "test-image", IProgress<long>? progress = null)
    {
        await using var content = File.OpenRead(path);
        return await Store.ImportAsync(
            new ImageImportRequest(name, diskFormat, "bare", new Dictionary<string, string> { ["hw_qemu_guest_agent"] = "yes" }),
            content,
            progress,
            TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
