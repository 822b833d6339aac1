using Vireo.Core.Ports;

namespace Vireo.Core.Tests.Fakes;

/// <summary>Instance directories as ids with their owners (those it makes are owned by <see cref="InstallationId"/> on <see cref="Host"/>).</summary>
public sealed class FakeDisks(Freezable process) : IInstanceDisks
{
    public const string InstallationId = "installation-1";

    private static readonly DateTimeOffset Made = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, DirectoryOwner?> _directories = [];

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

        if (FailAfterMakingDirectory)
        {
            throw new VireoException(ErrorKind.Failed, "qemu-img create failed half-way (injected)");
        }

        var directory = $"/var/lib/vireo/instances/{instance.Id}";
        return new DiskLayout(directory, [new GuestDisk(DiskRole.Root, directory + "/disk", DiskFormat.Qcow2)], directory + "/console.log");
    }

    public async Task DeleteInstanceFilesAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        process.EnsureAlive();
        Failures.ThrowIfFailing(nameof(DeleteInstanceFilesAsync));
        lock (_lock)
        {
            _directories.Remove(instanceId);
        }
    }

    /// <summary>Console logs by instance; a log is there only while its directory is.</summary>
    public Dictionary<Guid, string> ConsoleLogs { get; } = [];

    /// <summary>Runs at the start of each console read (a test deletes the server here to race the read).</summary>
    public Func<Guid, Task>? BeforeConsoleRead { get; set; }

    public async Task<string?> ReadConsoleLogTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (BeforeConsoleRead is { } before)
        {
            await before(instanceId);
        }

        Failures.ThrowIfFailing(nameof(ReadConsoleLogTailAsync));
        lock (_lock)
        {
            if (!_directories.ContainsKey(instanceId) || !ConsoleLogs.TryGetValue(instanceId, out var text))
            {
                return null;
            }

            return lines is { } n ? string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(n).Select(line => line + "\n")) : text;
        }
    }

    public async Task<IReadOnlyList<InstanceDirectoryEntry>> ListInstanceDirectoriesAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            return [.. _directories.Select(pair => new InstanceDirectoryEntry(pair.Key, $"/var/lib/vireo/instances/{pair.Key}", pair.Value, 4096))];
        }
    }
}
