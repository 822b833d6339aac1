namespace Vireo.Core.Ports;

/// <summary>What Vireo asks of a guest's disks when defining it.</summary>
/// <param name="Role">What the guest uses the disk for.</param>
/// <param name="Source">Where its bytes are: a file, a block device or an RBD image, as the image backend made it.</param>
/// <param name="Format">The format passed explicitly to QEMU (raw or qcow2), never probed.</param>
/// <param name="IsCdrom">The guest sees it as a CD-ROM: the root of an ISO image, as Nova presents it.</param>
public sealed record GuestDisk(DiskRole Role, DiskSource Source, DiskFormat Format, bool IsCdrom = false)
{
    /// <summary>A disk in a file on the host.</summary>
    public static GuestDisk File(DiskRole role, string path, DiskFormat format, bool isCdrom = false) =>
        new(role, new DiskSource.File(path), format, isCdrom);
}

public enum DiskRole
{
    Root,
    Ephemeral,
    Swap,
    ConfigDrive,
}

/// <summary>The files made for one instance.</summary>
/// <param name="InstanceDirectory">Nova's <c>&lt;instances_path&gt;/&lt;uuid&gt;/</c>: disks, console log, agent socket.</param>
/// <param name="ConsoleLog">The serial console log file the guest writes, as the instance disks name it (and later read it).</param>
public sealed record DiskLayout(string InstanceDirectory, IReadOnlyList<GuestDisk> Disks, string ConsoleLog);

/// <summary>Everything a hypervisor needs to define one guest.</summary>
public sealed record GuestSpec(Guid InstanceId, string Name, Flavor Flavor, ImageRecord Image, DiskLayout Disks);

/// <summary>A guest this installation owns, as the hypervisor sees it now.</summary>
public sealed record GuestInfo(Guid InstanceId, PowerState PowerState);

/// <summary>The hypervisor said a guest's power state changed; treat it as a hint and re-read.</summary>
public sealed record PowerStateChange(Guid InstanceId, PowerState PowerState, DateTimeOffset ObservedAt);

/// <summary>What one guest-ping to a guest's QEMU agent found.</summary>
public enum AgentPing
{
    /// <summary>The agent answered.</summary>
    Answered,

    /// <summary>No answer within the timeout: the guest is off, still booting, or runs no qemu-ga.</summary>
    NotAnswering,

    /// <summary>The guest has no agent channel (its image lacks <c>hw_qemu_guest_agent=yes</c>): it can never answer.</summary>
    NoAgentChannel,
}

/// <summary>
/// The compute view of the hypervisor. A guest is named by its instance id; the adapter
/// marks every guest it defines with this installation's id and never touches others.
/// Each step is separate so a failed build can be undone step by step.
/// All methods throw <see cref="VireoException"/>: <see cref="ErrorKind.Unavailable"/> when
/// the hypervisor cannot be reached, <see cref="ErrorKind.Failed"/> when it refused.
/// </summary>
public interface IHypervisor
{
    /// <summary>
    /// Throws <see cref="ErrorKind.Unavailable"/> when the hypervisor cannot be reached, so a
    /// request is refused before anything is written rather than failing half-way.
    /// </summary>
    Task EnsureReachableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Defines (does not start) the guest; <see cref="ErrorKind.Conflict"/> when it is already defined.</summary>
    Task DefineGuestAsync(GuestSpec spec, CancellationToken cancellationToken);

    /// <summary>Starts a defined guest that is shut off (or crashed: the adapter clears it first).</summary>
    Task StartGuestAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Powers the guest off: when <paramref name="graceful"/>, asks the guest OS (ACPI) and
    /// waits up to <paramref name="timeout"/> before pulling the plug. A guest already off is fine.
    /// </summary>
    Task StopGuestAsync(Guid instanceId, bool graceful, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Soft: asks the guest OS to reboot. Hard: powers off if running, then starts.</summary>
    Task RebootGuestAsync(Guid instanceId, bool hard, CancellationToken cancellationToken);

    /// <summary>Pulls the plug if running. Idempotent: a guest that is off or unknown is fine.</summary>
    Task DestroyGuestAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>Removes the definition of a guest that is off. Idempotent: an unknown guest is fine.</summary>
    Task UndefineGuestAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// The CPU the running guest really got (the live definition, not the requested one); null
    /// when the guest is not running. <see cref="ErrorKind.NotFound"/> when there is no owned guest.
    /// </summary>
    Task<EffectiveGuestCpu?> ReadGuestCpuAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>The owned guest for this instance, or null when there is none.</summary>
    Task<GuestInfo?> GetGuestAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>Every guest carrying this installation's id, defined or running.</summary>
    Task<IReadOnlyList<GuestInfo>> ListOwnedGuestsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends one guest-ping to the guest's QEMU agent and waits up to <paramref name="timeout"/>
    /// for the answer. <see cref="ErrorKind.NotFound"/> when there is no owned guest.
    /// </summary>
    Task<AgentPing> PingAgentAsync(Guid instanceId, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the root disk of a running (or paused) guest, as it was when the call began, to
    /// <paramref name="targetPath"/> in <paramref name="format"/> (a standalone image: no backing
    /// file) while the guest runs on, and returns when the copy is complete. On failure or
    /// cancellation the copy job is aborted and the guest is as it was. NotFound when there is no
    /// owned guest; Conflict when it is not running.
    /// </summary>
    Task CopyRunningRootDiskAsync(Guid instanceId, string targetPath, DiskFormat format, CancellationToken cancellationToken);

    /// <summary>Lifecycle events of owned guests until cancelled.</summary>
    IAsyncEnumerable<PowerStateChange> WatchPowerStateAsync(CancellationToken cancellationToken);
}
