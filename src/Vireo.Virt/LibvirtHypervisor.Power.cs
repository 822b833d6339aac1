using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt;

public sealed partial class LibvirtHypervisor
{
    /// <summary>How often a graceful stop looks at the guest's state.</summary>
    internal TimeSpan ShutdownPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Nova re-sends the shutdown request this often (SHUTDOWN_RETRY_INTERVAL): a guest may miss the first ACPI event while booting.</summary>
    internal TimeSpan ShutdownRetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    public Task StartGuestAsync(Guid instanceId, CancellationToken cancellationToken) =>
        connections.RunAsync($"start the guest of instance {instanceId}", SlowCall, connection =>
        {
            using var domain = FindOwnedOrThrow(connection, instanceId);
            var state = domain.GetState().State;
            switch (state)
            {
                case DomainState.Running or DomainState.Blocked:
                    return;
                case DomainState.Crashed:
                    // A crashed domain kept by on_crash=preserve still holds its QEMU process; clear it first.
                    DestroyIfActive(domain);
                    break;
                case DomainState.Paused or DomainState.PmSuspended or DomainState.Shutdown:
                    throw VireoException.Conflict(
                        $"cannot start the guest of instance {instanceId}: it is {PowerStates.FromLibvirt(state)}, not off; stop it first");
            }

            try
            {
                domain.Start();
                VirtLog.GuestStarted(logger, instanceId, PowerStates.FromLibvirt(state).ToString());
            }
            catch (LibvirtOperationInvalidException running) when (domain.GetState().State is DomainState.Running or DomainState.Blocked)
            {
                // Started by someone else meanwhile: the caller's wish holds.
                VirtLog.GuestAlreadyRunning(logger, instanceId, running.Message);
            }
        }, cancellationToken);

    public async Task StopGuestAsync(Guid instanceId, bool graceful, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var asked = await connections.RunAsync($"shut down the guest of instance {instanceId}", SlowCall, connection =>
        {
            using var domain = FindOwnedOrThrow(connection, instanceId);
            var state = domain.GetState().State;
            if (state == DomainState.Shutoff)
            {
                return StopStep.Off;
            }

            return graceful && timeout > TimeSpan.Zero && state is DomainState.Running or DomainState.Blocked && RequestShutdown(domain)
                ? StopStep.Asked
                : StopStep.PullPlug;
        }, cancellationToken).ConfigureAwait(false);

        if (asked == StopStep.Off)
        {
            return;
        }

        if (asked == StopStep.Asked)
        {
            if (await WaitForShutoffAsync(instanceId, timeout, cancellationToken).ConfigureAwait(false))
            {
                VirtLog.GuestShutDown(logger, instanceId);
                return;
            }

            VirtLog.GuestShutdownTimedOut(logger, instanceId, timeout.TotalSeconds);
        }

        await DestroyGuestAsync(instanceId, cancellationToken).ConfigureAwait(false);
    }

    public Task RebootGuestAsync(Guid instanceId, bool hard, CancellationToken cancellationToken) =>
        connections.RunAsync($"{(hard ? "hard" : "soft")} reboot the guest of instance {instanceId}", SlowCall, connection =>
        {
            using var domain = FindOwnedOrThrow(connection, instanceId);
            if (hard)
            {
                // Nova's hard reboot: power off whatever state the guest is in, then start it again.
                DestroyIfActive(domain);
                domain.Start();
                VirtLog.GuestRebooted(logger, instanceId, "hard");
                return;
            }

            var state = domain.GetState().State;
            if (state is not (DomainState.Running or DomainState.Blocked))
            {
                throw VireoException.Conflict(
                    $"cannot soft reboot the guest of instance {instanceId}: it is {PowerStates.FromLibvirt(state)}, not running; use a hard reboot");
            }

            try
            {
                domain.Reboot(PowerRequestMode.AcpiPowerButton);
                VirtLog.GuestRebooted(logger, instanceId, "soft");
            }
            catch (LibvirtOperationInvalidException e)
            {
                VirtLog.SoftRebootRefused(logger, instanceId, e.Message);
                throw VireoException.Conflict($"cannot soft reboot the guest of instance {instanceId}: \"{e.Message}\"");
            }
        }, cancellationToken);

    public Task DestroyGuestAsync(Guid instanceId, CancellationToken cancellationToken) =>
        connections.RunAsync($"destroy the guest of instance {instanceId}", SlowCall, connection =>
        {
            using var domain = FindOwned(connection, instanceId);
            if (domain is not null)
            {
                DestroyIfActive(domain);
            }
        }, cancellationToken);

    public Task UndefineGuestAsync(Guid instanceId, CancellationToken cancellationToken) =>
        connections.RunAsync($"undefine the guest of instance {instanceId}", SlowCall, connection =>
        {
            using var domain = FindOwned(connection, instanceId);
            if (domain is null)
            {
                return;
            }

            var state = domain.GetState().State;
            if (state != DomainState.Shutoff)
            {
                // Undefining an active domain would leave it running as a transient one nobody manages.
                throw VireoException.Conflict(
                    $"cannot undefine the guest of instance {instanceId}: it is {PowerStates.FromLibvirt(state)}; stop or destroy it first");
            }

            try
            {
                // As Nova's Guest.delete_configuration: managed save, snapshot, checkpoint metadata and NVRAM go too.
                domain.Undefine(DomainUndefineFlags.ManagedSave | DomainUndefineFlags.SnapshotsMetadata
                    | DomainUndefineFlags.CheckpointsMetadata | DomainUndefineFlags.Nvram);
                VirtLog.GuestUndefined(logger, instanceId);
            }
            catch (LibvirtNotFoundException gone)
            {
                // Undefined meanwhile: the caller's wish holds.
                VirtLog.GuestAlreadyUndefined(logger, instanceId, gone.Message);
            }
        }, cancellationToken);

    private void DestroyIfActive(Libvirt.Domain domain)
    {
        var state = domain.GetState().State;
        if (state == DomainState.Shutoff)
        {
            return;
        }

        try
        {
            domain.Destroy();
            VirtLog.GuestDestroyed(logger, domain.Uuid, PowerStates.FromLibvirt(state).ToString());
        }
        catch (LibvirtException gone) when (gone is LibvirtOperationInvalidException or LibvirtNotFoundException)
        {
            // "domain is not running": it went off by itself between the two calls; a transient domain vanishes when it stops.
            VirtLog.GuestAlreadyOff(logger, domain.Uuid, gone.Message);
        }
    }

    /// <summary>ACPI power button; false when the guest went off before it could be asked.</summary>
    private static bool RequestShutdown(Libvirt.Domain domain)
    {
        try
        {
            domain.Shutdown(PowerRequestMode.AcpiPowerButton);
            return true;
        }
        catch (LibvirtOperationInvalidException)
        {
            return false;
        }
    }

    /// <summary>Polls until the guest is off (true) or the timeout passed (false), re-sending the request as Nova does.</summary>
    private async Task<bool> WaitForShutoffAsync(Guid instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var lastRequest = started;
        while (true)
        {
            var elapsed = time.GetElapsedTime(started);
            if (elapsed >= timeout)
            {
                return false;
            }

            var wait = ShutdownPollInterval < timeout - elapsed ? ShutdownPollInterval : timeout - elapsed;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            var resend = time.GetElapsedTime(lastRequest) >= ShutdownRetryInterval;
            if (resend)
            {
                lastRequest = time.GetTimestamp();
            }

            var off = await connections.RunAsync($"shut down the guest of instance {instanceId}", SlowCall, connection =>
            {
                using var domain = connection.TryLookupDomainByUuid(instanceId);
                if (domain is null || domain.GetState().State == DomainState.Shutoff)
                {
                    return true;
                }

                return resend && !RequestShutdown(domain);
            }, cancellationToken).ConfigureAwait(false);
            if (off)
            {
                return true;
            }
        }
    }

    private enum StopStep
    {
        Off,
        Asked,
        PullPlug,
    }
}
