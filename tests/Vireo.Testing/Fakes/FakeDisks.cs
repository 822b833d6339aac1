using Vireo.Core.Ports;

namespace Vireo.Testing.Fakes;

/// <summary>
/// The one in-memory <see cref="IInstanceDisks"/>, held to <c>Contracts/InstanceDisksContract</c> like
/// Storage's InstanceDisks: instance directories as ids with their owners (those it makes are owned by
/// <see cref="InstallationId"/> on <see cref="Host"/>), a root qcow2 disk and the console log inside the
/// directory, delete idempotent, console logs gone with their directory. Disks outside the directory
/// (an RBD image or logical volume <c>&lt;uuid&gt;_disk</c>) are made when <see cref="MakesOutsideDisks"/> is
/// set, or put by a test; deleting the files removes them first (failure point
/// <see cref="RemoveOutsideDisksAsync"/>), as Storage's InstanceDisks asks its backend first.
/// </summary>
public sealed class FakeDisks(Freezable process) : IInstanceDisks
{
    public const string InstallationId = "installation-1";

    private static readonly DateTimeOffset Made = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, DirectoryOwner?> _directories = [];
    private readonly Dictionary<Guid, List<OutsideDisk>> _outside = [];

    public FakeDisks()
        : this(new Freezable())
    {
    }

    public Failures Failures { get; } = new();

    /// <summary>When set, <see cref="CreateRootDiskAsync"/> makes the directory and then fails, as a half-done qemu-img would.</summary>
    public bool FailAfterMakingDirectory { get; set; }

    /// <summary>Runs inside <see cref="CreateRootDiskAsync"/> with its progress, e.g. to report and then hold the build.</summary>
    public Func<IProgress<int>?, Task>? DuringCreate { get; set; }

    public IReadOnlyCollection<Guid> Directories
    {
        get
        {
            lock (_lock)
            {
                return [.. _directories.Keys];
            }
        }
    }

    public string Host { get; set; } = FakeHost.HostName;

    /// <summary>When set, each root disk is made outside the directory too, as the rbd or lvm backend makes it.</summary>
    public OutsideDiskKind? MakesOutsideDisks { get; set; }

    /// <summary>The outside disks there now.</summary>
    public IReadOnlyList<OutsideDisk> OutsideDisks
    {
        get
        {
            lock (_lock)
            {
                return [.. _outside.Values.SelectMany(disks => disks).OrderBy(disk => disk.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>An outside disk <c>&lt;uuid&gt;&lt;suffix&gt;</c> named after <paramref name="id"/>, whoever made it (a test's "another installation").</summary>
    public OutsideDisk PutOutsideDisk(Guid id, OutsideDiskKind kind = OutsideDiskKind.RbdImage, string suffix = "_disk")
    {
        var disk = new OutsideDisk(id, kind, (kind == OutsideDiskKind.RbdImage ? "vms/" : "nova-vg/") + id.ToString("D") + suffix, OutsideDiskSizeBytes);
        lock (_lock)
        {
            if (!_outside.TryGetValue(id, out var disks))
            {
                _outside[id] = disks = [];
            }

            disks.Add(disk);
        }

        return disk;
    }

    /// <summary>The bytes the listing reports for every outside disk.</summary>
    public const long OutsideDiskSizeBytes = 1L << 30;

    /// <summary>The owner this fake writes into the directories it makes.</summary>
    public DirectoryOwner OwnerOf(Guid id) => new(InstallationId, Host, id, Made);

    /// <summary>A directory made by this installation on this host.</summary>
    public void Put(Guid id) => Put(id, OwnerOf(id));

    /// <summary>A directory with the given owner (null: no owner file).</summary>
    public void Put(Guid id, DirectoryOwner? owner)
    {
        lock (_lock)
        {
            _directories[id] = owner;
        }
    }

    public async Task<DiskLayout> CreateRootDiskAsync(Instance instance, ImageRecord image, Flavor flavor, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(flavor);
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        process.EnsureAlive();
        Failures.ThrowIfFailing(nameof(CreateRootDiskAsync));
        if (DuringCreate is { } during)
        {
            await during(progress);
        }

        lock (_lock)
        {
            _directories[instance.Id] = OwnerOf(instance.Id);
        }

        if (MakesOutsideDisks is { } kind)
        {
            PutOutsideDisk(instance.Id, kind);
        }

        if (FailAfterMakingDirectory)
        {
            throw new VireoException(ErrorKind.Failed, "qemu-img create failed half-way (injected)");
        }

        var directory = DirectoryOf(instance.Id);
        List<GuestDisk> disks = [GuestDisk.File(DiskRole.Root, directory + "/disk", DiskFormat.Qcow2)];
        if (flavor.EphemeralGiB > 0)
        {
            disks.Add(GuestDisk.File(DiskRole.Ephemeral, directory + "/disk.local", DiskFormat.Qcow2));
        }

        if (flavor.SwapMiB > 0)
        {
            disks.Add(GuestDisk.File(DiskRole.Swap, directory + "/disk.swap", DiskFormat.Qcow2));
        }

        return new DiskLayout(directory, disks, directory + "/console.log");
    }

    public async Task DeleteInstanceFilesAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        process.EnsureAlive();
        Failures.ThrowIfFailing(nameof(DeleteInstanceFilesAsync));
        await RemoveOutsideDisksAsync(instanceId, cancellationToken);
        lock (_lock)
        {
            _directories.Remove(instanceId);
        }
    }

    public async Task<IReadOnlyList<OutsideDisk>> ListOutsideDisksAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        process.EnsureAlive();
        Failures.ThrowIfFailing(nameof(ListOutsideDisksAsync));
        return OutsideDisks;
    }

    public async Task RemoveOutsideDisksAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        process.EnsureAlive();
        Failures.ThrowIfFailing(nameof(RemoveOutsideDisksAsync));
        lock (_lock)
        {
            _outside.Remove(instanceId);
        }
    }

    /// <summary>The console logs; a log is read only while its directory is there (it lives inside it).</summary>
    public FakeConsoleLogs ConsoleLogs { get; } = new();

    public async Task<string?> ReadConsoleLogTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Failures.ThrowIfFailing(nameof(ReadConsoleLogTailAsync));
        return await ConsoleLogs.ReadTailAsync(instanceId, lines, id =>
        {
            lock (_lock)
            {
                return _directories.ContainsKey(id);
            }
        });
    }

    public async Task<IReadOnlyList<InstanceDirectoryEntry>> ListInstanceDirectoriesAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            return [.. _directories.Select(pair => new InstanceDirectoryEntry(pair.Key, DirectoryOf(pair.Key), pair.Value, DirectorySizeBytes))];
        }
    }

    /// <summary>Where snapshot files are kept (shared with the fake hypervisor in a <see cref="FakeHost"/>).</summary>
    public FakeSnapshotFiles SnapshotFiles { get; set; } = new();

    /// <summary>Set to refuse live snapshots, as the lvm backend does.</summary>
    public RunningDiskCopy RunningRootDiskCopy { get; set; } = RunningDiskCopy.ByHypervisor;

    public string SnapshotFilePath(Guid instanceId, Guid imageId) => $"{DirectoryOf(instanceId)}/snapshot-{imageId:D}.part";

    /// <summary>NotFound without the instance directory; writes the copy at the target (nothing on failure).</summary>
    public async Task ExportRootDiskAsync(Guid instanceId, Guid imageId, string targetPath, DiskFormat format, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        process.EnsureAlive();
        lock (_lock)
        {
            if (!_directories.ContainsKey(instanceId))
            {
                throw VireoException.NotFound($"instance {instanceId} has no directory; it has no disk to copy");
            }
        }

        Failures.ThrowIfFailing(nameof(ExportRootDiskAsync));
        SnapshotFiles.Write(targetPath, FakeSnapshotFiles.ContentOf(instanceId, "stopped " + format.Name()));
    }

    public Task<Stream> OpenSnapshotFileAsync(string path, CancellationToken cancellationToken)
    {
        Failures.ThrowIfFailing(nameof(OpenSnapshotFileAsync));
        return SnapshotFiles.Read(path) is { } content
            ? Task.FromResult<Stream>(new MemoryStream(content, writable: false))
            : throw VireoException.NotFound($"the snapshot file {path} is not there");
    }

    public Task RemoveSnapshotFileAsync(string path, CancellationToken cancellationToken)
    {
        SnapshotFiles.Remove(path);
        return Task.CompletedTask;
    }

    /// <summary>The bytes the listing reports for every directory.</summary>
    public const long DirectorySizeBytes = 4096;

    /// <summary>Where the directory of an instance would be (nothing is made on disk).</summary>
    public static string DirectoryOf(Guid instanceId) => $"/var/lib/vireo/instances/{instanceId:D}";
}
