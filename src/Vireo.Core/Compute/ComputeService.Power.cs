using Vireo.Core.Diagnostics;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

public sealed partial class ComputeService
{
    /// <summary>Starts a stopped server (task powering-on, then active / running).</summary>
    public Task<ServerOperation> BeginStartServerAsync(string serverRef, RequestContext context, CancellationToken cancellationToken) =>
        BeginPowerOperationAsync(serverRef, ComputeOperation.Start, context, cancellationToken);

    /// <summary>Stops an active or errored server: asks the guest OS, then pulls the plug after the shutdown timeout.</summary>
    public Task<ServerOperation> BeginStopServerAsync(string serverRef, RequestContext context, CancellationToken cancellationToken) =>
        BeginPowerOperationAsync(serverRef, ComputeOperation.Stop, context, cancellationToken);

    /// <summary>Soft: asks the guest OS to reboot (active only). Hard: power cycle (also from stopped, paused, suspended, error).</summary>
    public Task<ServerOperation> BeginRebootServerAsync(string serverRef, RebootType type, RequestContext context, CancellationToken cancellationToken) =>
        BeginPowerOperationAsync(serverRef, type == RebootType.Hard ? ComputeOperation.RebootHard : ComputeOperation.RebootSoft, context, cancellationToken);

    public async Task<Instance> StartServerAsync(string serverRef, RequestContext context, CancellationToken cancellationToken) =>
        await (await BeginStartServerAsync(serverRef, context, cancellationToken).ConfigureAwait(false)).Completion.ConfigureAwait(false);

    public async Task<Instance> StopServerAsync(string serverRef, RequestContext context, CancellationToken cancellationToken) =>
        await (await BeginStopServerAsync(serverRef, context, cancellationToken).ConfigureAwait(false)).Completion.ConfigureAwait(false);

    public async Task<Instance> RebootServerAsync(string serverRef, RebootType type, RequestContext context, CancellationToken cancellationToken) =>
        await (await BeginRebootServerAsync(serverRef, type, context, cancellationToken).ConfigureAwait(false)).Completion.ConfigureAwait(false);

    private static string ActionName(ComputeOperation operation) => operation switch
    {
        ComputeOperation.Start => InstanceActionNames.Start,
        ComputeOperation.Stop => InstanceActionNames.Stop,
        ComputeOperation.RebootSoft or ComputeOperation.RebootHard => InstanceActionNames.Reboot,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a power operation"),
    };

    private Task<ServerOperation> BeginPowerOperationAsync(string serverRef, ComputeOperation operation, RequestContext context, CancellationToken cancellationToken) =>
        OperationMetering.CountRefusalsAsync(operation, _logger, () => AcceptPowerOperationAsync(serverRef, operation, context, cancellationToken));

    private async Task<ServerOperation> AcceptPowerOperationAsync(string serverRef, ComputeOperation operation, RequestContext context, CancellationToken cancellationToken)
    {
        var instance = await FindLiveAsync(serverRef, context, cancellationToken).ConfigureAwait(false);

        // Refuse before asking the hypervisor anything; AcceptAsync checks again atomically.
        Transitions.EnsureAllowed(operation, instance);
        if (await _hypervisor.GetGuestAsync(instance.Id, cancellationToken).ConfigureAwait(false) is null)
        {
            throw VireoException.Conflict(
                $"{instance.Label} has no guest on this host (its build failed or the guest was removed); delete it and create it again");
        }

        var accepted = await AcceptAsync(instance.Id, operation, cancellationToken).ConfigureAwait(false);
        var requestId = context.RequestId;
        await RecordActionQuietlyAsync(accepted, ActionName(operation), requestId).ConfigureAwait(false);
        var completion = _running.Start(accepted.Id, operation, token => RunPowerOperationAsync(accepted, operation, requestId, token));
        return new ServerOperation(accepted, completion);
    }

    private async Task<Instance> RunPowerOperationAsync(Instance accepted, ComputeOperation operation, string requestId, CancellationToken cancellationToken)
    {
        using var lease = await _gates.EnterAsync(accepted.Id, CancellationToken.None).ConfigureAwait(false);
        var rule = Transitions.RuleFor(operation);
        var id = accepted.Id;
        Instance done;
        try
        {
            var act = operation switch
            {
                ComputeOperation.Start => _hypervisor.StartGuestAsync(id, cancellationToken),
                ComputeOperation.Stop => _hypervisor.StopGuestAsync(id, graceful: true, _options.ShutdownTimeout, cancellationToken),
                ComputeOperation.RebootSoft => _hypervisor.RebootGuestAsync(id, hard: false, cancellationToken),
                ComputeOperation.RebootHard => _hypervisor.RebootGuestAsync(id, hard: true, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a power operation"),
            };
            await act.ConfigureAwait(false);

            // A new QEMU process may get another CPU (host-model follows the host, which may have
            // changed); a stop or a soft reboot keeps the record of the last boot.
            var cpu = operation is ComputeOperation.Start or ComputeOperation.RebootHard
                ? await ReadGuestCpuQuietlyAsync(id, cancellationToken).ConfigureAwait(false)
                : accepted.EffectiveCpu;

            // The compare-and-set fails when a delete or a hard reboot took over meanwhile.
            done = await _store.UpdateAsync(
                accepted with { VmState = rule.VmStateOnSuccess, TaskState = null, PowerState = rule.PowerStateOnSuccess, FaultReason = null, UpdatedAt = Now, EffectiveCpu = cpu },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            throw await FailPowerOperationAsync(accepted, operation, requestId, exception).ConfigureAwait(false);
        }

        await FinishActionQuietlyAsync(id, requestId, ActionResult.Success, message: null).ConfigureAwait(false);
        return done;
    }

    /// <summary>
    /// Nova's handling: a failed start or stop only clears its task (vm_state unchanged, the
    /// fault recorded); a failed reboot leaves the guest in an unknown state, so ERROR.
    /// </summary>
    private async Task<VireoException> FailPowerOperationAsync(Instance instance, ComputeOperation operation, string requestId, Exception exception)
    {
        var rule = Transitions.RuleFor(operation);
        var verb = operation.ToVerb();
        var (kind, message) = Describe(exception);
        Instance? latest = null;
        try
        {
            latest = await _store.GetAsync(instance.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception readFailure)
        {
            // Start-up reconciliation settles the task.
            CoreLog.RowNotReadAfterFailure(_logger, verb, instance.Id, readFailure.Message);
        }

        if (latest is not null && (latest.IsDeleted || latest.TaskState != rule.Task))
        {
            var takenOverBy = latest.TaskState is { } task ? task.ToNova() : latest.VmState.ToNova();
            await FinishActionQuietlyAsync(instance.Id, requestId, ActionResult.Error, $"overtaken by {takenOverBy}").ConfigureAwait(false);
            return new VireoException(ErrorKind.Conflict, $"'{verb}' of {instance.Label} was overtaken by {takenOverBy}", exception);
        }

        var reason = $"'{verb}' failed: {message}";
        var toError = operation is ComputeOperation.RebootSoft or ComputeOperation.RebootHard;
        if (latest is not null)
        {
            var power = await TryReadPowerAsync(instance.Id).ConfigureAwait(false) ?? latest.PowerState;
            var failed = toError
                ? latest with { VmState = VmState.Error, TaskState = null, PowerState = power, FaultReason = reason, UpdatedAt = Now }
                : latest with { TaskState = null, PowerState = power, UpdatedAt = Now };
            try
            {
                await _store.UpdateAsync(failed, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception updateFailure)
            {
                // As above.
                CoreLog.RowNotUpdatedAfterFailure(_logger, verb, instance.Id, updateFailure.Message);
            }

            await AddFaultQuietlyAsync(instance.Id, kind, reason, exception).ConfigureAwait(false);
        }

        await FinishActionQuietlyAsync(instance.Id, requestId, ActionResult.Error, reason).ConfigureAwait(false);
        return new VireoException(kind, $"'{verb}' of {instance.Label} failed: {message}" + (toError ? "; it is now in ERROR" : string.Empty), exception);
    }
}
