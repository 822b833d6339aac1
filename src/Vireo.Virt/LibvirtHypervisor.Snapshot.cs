using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>
/// The live copy of a running guest's root disk for a snapshot. Nova's libvirt driver
/// (nova/virt/libvirt/driver.py _live_snapshot) makes a qcow2 overlay with the same backing, runs a
/// shallow block copy into it (virDomainBlockRebase COPY|REUSE_EXT|SHALLOW), waits for it to be
/// ready, aborts it without pivot and converts overlay plus backing; on a persistent domain that
/// needs the definition removed for the copy's duration. Vireo uses libvirt's backup API instead
/// (virDomainBackupBegin in push mode, https://libvirt.org/formatbackup.html; libvirt 9.0 here):
/// one call writes a point-in-time copy of the disk, backing chain included, as a standalone
/// raw or qcow2 file, while the guest runs on and keeps its definition; nothing to pivot and
/// nothing to convert. Aborting it (virDomainAbortJob) leaves the guest's disk untouched.
/// </summary>
public sealed partial class LibvirtHypervisor
{
    /// <summary>How often a copy's job is looked at.</summary>
    internal TimeSpan BackupPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a copy may run before it is aborted.</summary>
    internal TimeSpan BackupTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How long an aborted copy is given to end.</summary>
    internal TimeSpan BackupAbortWait { get; init; } = TimeSpan.FromSeconds(60);

    public async Task CopyRunningRootDiskAsync(Guid instanceId, string targetPath, DiskFormat format, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetPath);
        if (!Path.IsPathFullyQualified(targetPath))
        {
            throw new ArgumentException($"the copy's target must be an absolute path, got '{targetPath}'", nameof(targetPath));
        }

        // Set on the call's thread once libvirt took the job, so a cancellation that lands while the
        // call returns still aborts it; cleared when the job has ended by itself.
        var running = false;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(BackupTimeout);
        try
        {
            var device = await connections.RunAsync($"copy the root disk of instance {instanceId}", SlowCall, connection =>
            {
                using var domain = FindOwnedOrThrow(connection, instanceId);
                if (domain.GetState().State is not (DomainState.Running or DomainState.Blocked or DomainState.Paused))
                {
                    throw VireoException.Conflict($"the guest of instance {instanceId} is not running, so its disk cannot be copied live; copy it with the guest stopped");
                }

                var root = RootDiskTarget(domain.GetXmlDescription(), instanceId);
                domain.BeginBackup(BackupXml(root, targetPath, format));
                Volatile.Write(ref running, true);
                return root;
            }, deadline.Token).ConfigureAwait(false);
            VirtLog.DiskCopyStarted(logger, instanceId, device, targetPath);

            while (true)
            {
                var (now, last) = await connections.RunAsync($"watch the disk copy of instance {instanceId}", connection =>
                {
                    using var domain = FindOwnedOrThrow(connection, instanceId);
                    var current = domain.GetJobType();
                    return (current, current == DomainJobType.None ? domain.GetJobType(completed: true) : DomainJobType.None);
                }, deadline.Token).ConfigureAwait(false);
                if (now == DomainJobType.None)
                {
                    Volatile.Write(ref running, false);
                    if (last != DomainJobType.Completed)
                    {
                        throw new VireoException(ErrorKind.Failed, $"the copy of instance {instanceId}'s disk {device} ended as {last.ToString().ToLowerInvariant()}; see libvirtd's log for why");
                    }

                    return;
                }

                await Task.Delay(BackupPollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception failure) when (Volatile.Read(ref running))
        {
            await AbortCopyAsync(instanceId, failure.Message).ConfigureAwait(false);
            if (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new VireoException(ErrorKind.Failed, $"the copy of instance {instanceId}'s disk did not finish within {BackupTimeout} and was aborted", failure);
            }

            throw;
        }
    }

    /// <summary>Aborts the copy and waits (bounded) until the job is gone, so the guest is as it was.</summary>
    private async Task AbortCopyAsync(Guid instanceId, string reason)
    {
        VirtLog.DiskCopyAborted(logger, instanceId, reason);
        using var wait = new CancellationTokenSource(BackupAbortWait);
        try
        {
            await connections.RunAsync($"abort the disk copy of instance {instanceId}", connection =>
            {
                using var domain = FindOwned(connection, instanceId);
                if (domain is not null && domain.GetJobType() != DomainJobType.None)
                {
                    domain.AbortJob();
                }
            }, wait.Token).ConfigureAwait(false);

            while (await connections.RunAsync($"watch the aborted disk copy of instance {instanceId}", connection =>
            {
                using var domain = FindOwned(connection, instanceId);
                return domain is not null && domain.GetJobType() != DomainJobType.None;
            }, wait.Token).ConfigureAwait(false))
            {
                await Task.Delay(BackupPollInterval, wait.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is VireoException or OperationCanceledException)
        {
            VirtLog.DiskCopyAbortFailed(logger, instanceId, exception.Message);
        }
    }

    /// <summary>The target of the guest's first disk, which the guest builder makes the root; Conflict when it is a CD-ROM (read-only: nothing to snapshot).</summary>
    internal static string RootDiskTarget(string domainXml, Guid instanceId)
    {
        var disk = XElement.Parse(domainXml).Element("devices")?.Elements("disk").FirstOrDefault()
            ?? throw VireoException.Conflict($"the guest of instance {instanceId} has no disk to copy");
        if ((string?)disk.Attribute("device") is { } device && device != "disk")
        {
            throw VireoException.Conflict($"the root of instance {instanceId} is a {device} (an ISO image), which is read-only; there is nothing to snapshot");
        }

        return (string?)disk.Element("target")?.Attribute("dev")
            ?? throw VireoException.Conflict($"the root disk of instance {instanceId} has no target device in its definition");
    }

    /// <summary>
    /// <c>&lt;domainbackup mode='push'&gt;</c> with only the root disk listed (the others do not take part):
    /// a full copy to a new local file in the given format.
    /// </summary>
    internal static string BackupXml(string device, string targetPath, DiskFormat format) =>
        new XElement("domainbackup", new XAttribute("mode", "push"),
            new XElement("disks",
                new XElement("disk", new XAttribute("name", device), new XAttribute("backup", "yes"), new XAttribute("type", "file"),
                    new XElement("driver", new XAttribute("type", format.LibvirtDriverType() ?? format.QemuName())),
                    new XElement("target", new XAttribute("file", targetPath))))).ToString(SaveOptions.DisableFormatting);
}
