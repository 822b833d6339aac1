using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests.Fakes;

/// <summary>Instance directories as a set of ids; no files are made.</summary>
public sealed class FakeDisks : IInstanceDisks
{
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _directories = [];

    public Task<DiskLayout> CreateRootDiskAsync(Instance instance, ImageRecord image, Flavor flavor, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _directories.Add(instance.Id);
        }

        var directory = $"/var/lib/vireo/instances/{instance.Id}";
        return Task.FromResult(new DiskLayout(directory, [new GuestDisk(DiskRole.Root, directory + "/disk", DiskFormat.Qcow2)], directory + "/console.log"));
    }

    public Task DeleteInstanceFilesAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _directories.Remove(instanceId);
        }

        return Task.CompletedTask;
    }

    public const string InstallationId = "installation-1";

    /// <summary>The console logs the directories hold.</summary>
    public FakeConsoleLogReader ConsoleLogs { get; } = new();

    public Task<string?> ReadConsoleLogTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken) =>
        ConsoleLogs.ReadTailAsync(instanceId, lines, cancellationToken);

    public IReadOnlyCollection<Guid> Directories
    {
        get
        {
            lock (_lock)
            {
                return [.. _directories];
            }
        }
    }

    /// <summary>Every directory as made by <see cref="InstallationId"/> on compute1.</summary>
    public Task<IReadOnlyList<InstanceDirectoryEntry>> ListInstanceDirectoriesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<InstanceDirectoryEntry> list =
                [.. _directories.Select(id => new InstanceDirectoryEntry(id, $"/var/lib/vireo/instances/{id}", new DirectoryOwner(InstallationId, "compute1", id, DateTimeOffset.UnixEpoch), 1024))];
            return Task.FromResult(list);
        }
    }
}
