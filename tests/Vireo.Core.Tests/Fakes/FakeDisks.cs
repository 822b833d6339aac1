using Vireo.Core.Ports;

namespace Vireo.Core.Tests.Fakes;

/// <summary>Instance directories as a set of ids.</summary>
public sealed class FakeDisks(Freezable process) : IInstanceDisks
{
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _directories = [];

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
                return [.. _directories];
            }
        }
    }

    public void Put(Guid id)
    {
        lock (_lock)
        {
            _directories.Add(id);
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
            _directories.Add(instance.Id);
        }

        if (FailAfterMakingDirectory)
        {
            throw new VireoException(ErrorKind.Failed, "qemu-img create failed half-way (injected)");
        }

        var directory = $"/var/lib/vireo/instances/{instance.Id}";
        return new DiskLayout(directory, [new GuestDisk(DiskRole.Root, directory + "/disk", "qcow2")]);
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

    public async Task<IReadOnlyList<Guid>> ListInstanceDirectoriesAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            return [.. _directories];
        }
    }
}
