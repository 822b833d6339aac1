using Vireo.Libvirt.Interop;

namespace Vireo.Libvirt;

/// <summary>One reference to a libvirt domain (virDomainPtr). Dispose releases the reference, not the domain.</summary>
public sealed class Domain : IDisposable
{
    private readonly DomainHandle handle;

    internal Domain(DomainHandle handle)
    {
        this.handle = handle;
        Name = Checked.BorrowedString(NativeMethods.virDomainGetName(handle), "virDomainGetName");
        Uuid = ReadUuid(handle);
    }

    public string Name { get; }

    public Guid Uuid { get; }

    public bool IsPersistent => Checked.Int(NativeMethods.virDomainIsPersistent(handle), "virDomainIsPersistent") == 1;

    public DomainStateInfo GetState()
    {
        Checked.Int(NativeMethods.virDomainGetState(handle, out var state, out var reason, 0), "virDomainGetState");
        return new DomainStateInfo((DomainState)state, reason);
    }

    public string GetXmlDescription(DomainXmlFlags flags = DomainXmlFlags.None) =>
        Checked.OwnedString(NativeMethods.virDomainGetXMLDesc(handle, (uint)flags), "virDomainGetXMLDesc");

    /// <summary>Starts a defined domain.</summary>
    public void Start(DomainCreateFlags flags = DomainCreateFlags.None) =>
        Checked.Int(NativeMethods.virDomainCreateWithFlags(handle, (uint)flags), "virDomainCreateWithFlags");

    /// <summary>Powers the domain off at once (virDomainDestroy): the guest gets no say.</summary>
    public void Destroy() => Checked.Int(NativeMethods.virDomainDestroyFlags(handle, 0), "virDomainDestroyFlags");

    /// <summary>Asks the guest to shut down; returns before it has.</summary>
    public void Shutdown(PowerRequestMode mode = PowerRequestMode.Default) =>
        Checked.Int(NativeMethods.virDomainShutdownFlags(handle, (uint)mode), "virDomainShutdownFlags");

    public void Reboot(PowerRequestMode mode = PowerRequestMode.Default) =>
        Checked.Int(NativeMethods.virDomainReboot(handle, (uint)mode), "virDomainReboot");

    public void Suspend() => Checked.Int(NativeMethods.virDomainSuspend(handle), "virDomainSuspend");

    public void Resume() => Checked.Int(NativeMethods.virDomainResume(handle), "virDomainResume");

    public void Undefine(DomainUndefineFlags flags = DomainUndefineFlags.None) =>
        Checked.Int(NativeMethods.virDomainUndefineFlags(handle, (uint)flags), "virDomainUndefineFlags");

    /// <summary>
    /// Sends one QGA command (JSON) and returns the agent's JSON reply. A null timeout uses libvirt's
    /// default; the agent must be connected (LibvirtAgentUnavailableException otherwise).
    /// </summary>
    public string QemuAgentCommand(string commandJson, TimeSpan? timeout = null)
    {
        // VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT is -1; otherwise whole seconds (0 = do not wait).
        var seconds = timeout is { } t ? (int)Math.Ceiling(t.TotalSeconds) : -1;
        return Checked.OwnedString(NativeMethods.virDomainQemuAgentCommand(handle, commandJson, seconds, 0), "virDomainQemuAgentCommand");
    }

    /// <summary>
    /// Starts a backup job (virDomainBackupBegin) described by <paramref name="backupXml"/>
    /// (https://libvirt.org/formatbackup.html), without checkpoint; returns once it runs.
    /// </summary>
    public void BeginBackup(string backupXml) =>
        Checked.Int(NativeMethods.virDomainBackupBegin(handle, backupXml, null, 0), "virDomainBackupBegin");

    /// <summary>Asks the domain's running job (a backup) to stop (virDomainAbortJob); it ends asynchronously.</summary>
    public void AbortJob() => Checked.Int(NativeMethods.virDomainAbortJob(handle), "virDomainAbortJob");

    /// <summary>
    /// The type of the domain's job now (<see cref="DomainJobType.None"/> when none runs) or, with
    /// <paramref name="completed"/>, how its last job ended (VIR_DOMAIN_JOB_STATS_COMPLETED).
    /// </summary>
    public DomainJobType GetJobType(bool completed = false)
    {
        const uint statsCompleted = 1; // VIR_DOMAIN_JOB_STATS_COMPLETED
        Checked.Int(NativeMethods.virDomainGetJobStats(handle, out var type, out var parameters, out var count, completed ? statsCompleted : 0), "virDomainGetJobStats");
        NativeMethods.virTypedParamsFree(parameters, count);
        return (DomainJobType)type;
    }

    public void Dispose() => handle.Dispose();

    private static unsafe Guid ReadUuid(DomainHandle handle)
    {
        var buffer = stackalloc byte[37];
        Checked.Int(NativeMethods.virDomainGetUUIDString(handle, buffer), "virDomainGetUUIDString");
        return Guid.Parse(new ReadOnlySpan<byte>(buffer, 36));
    }
}
