using System.Collections.Concurrent;
using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

public sealed partial class ComputeService
{
    private readonly ConcurrentDictionary<Guid, int> _buildProgress = new();

    /// <summary>
    /// How far this process has got with the long part of a server's build (filling and
    /// converting its image's cached base), in percent: Nova's <c>progress</c> while the server
    /// is in BUILD. 0 when nothing is being built for it.
    /// </summary>
    public int BuildProgress(Guid instanceId) => _buildProgress.TryGetValue(instanceId, out var percent) ? percent : 0;

    /// <summary>
    /// Validates the request, writes the instance (building / scheduling) and records the
    /// action, then builds it in the background: disks, guest definition, guest start, each
    /// with its undo registered. A failed build undoes every step it made and leaves the
    /// instance in ERROR with the reason (Nova keeps failed servers visible until deleted).
    /// </summary>
    /// <exception cref="VireoException">
    /// InvalidInput for a bad name or a flavor too small for the image; NotFound for an
    /// unknown image (or one the caller may not see) or flavor; Conflict for an image that is not
    /// active. Nothing is written when these are thrown. Names need not be unique (as in Nova).
    /// The server belongs to the caller's project and user.
    /// </exception>
    public Task<ServerOperation> BeginCreateServerAsync(CreateServerRequest request, RequestContext context, CancellationToken cancellationToken) =>
        OperationMetering.CountRefusalsAsync(operation: null, _logger, () => AcceptCreateAsync(request, context, cancellationToken));

    private async Task<ServerOperation> AcceptCreateAsync(CreateServerRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        ServerNames.EnsureValid(request.Name);
        var image = await ResolveImageAsync(request.ImageRef, context, cancellationToken).ConfigureAwait(false);
        var flavor = await ResolveFlavorAsync(request.FlavorRef, cancellationToken).ConfigureAwait(false);
        EnsureFits(image, flavor);
        await _hypervisor.EnsureReachableAsync(cancellationToken).ConfigureAwait(false);

        var now = Now;
        var instance = new Instance(
            Guid.NewGuid(), request.Name, image.Id, flavor.Id, VmState.Building, TaskState.Scheduling, PowerState.NoState,
            FaultReason: null, _options.Host, now, now)
        {
            ProjectId = context.ProjectId,
            UserId = context.UserId,
        };

        await _store.AddAsync(instance, cancellationToken).ConfigureAwait(false);

        var requestId = context.RequestId;
        await RecordActionQuietlyAsync(instance, InstanceActionNames.Create, requestId).ConfigureAwait(false);

        var completion = _running.Start(instance.Id, operation: null, token => RunCreateAsync(instance, image, flavor, requestId, token));
        return new ServerOperation(instance, completion);
    }

    /// <summary>Creates a server and waits for its build; see <see cref="BeginCreateServerAsync"/>.</summary>
    public async Task<Instance> CreateServerAsync(CreateServerRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var operation = await BeginCreateServerAsync(request, context, cancellationToken).ConfigureAwait(false);
        return await operation.Completion.ConfigureAwait(false);
    }

    private async Task<Instance> RunCreateAsync(Instance instance, ImageRecord image, Flavor flavor, string requestId, CancellationToken cancellationToken)
    {
        using var lease = await _gates.EnterAsync(instance.Id, CancellationToken.None).ConfigureAwait(false);
        await using var revert = new RevertScope(_logger);
        var id = instance.Id;
        var current = instance;
        var stage = "starting the build";
        try
        {
            _faults.Reached(FaultSteps.CreateRowWritten);

            stage = "creating its disks";
            current = await _store.UpdateAsync(current with { TaskState = TaskState.BlockDeviceMapping, UpdatedAt = Now }, cancellationToken).ConfigureAwait(false);

            // Each undo is registered before its step: the undo is idempotent, and a step that
            // fails half-way may already have made something.
            revert.Add("removing its files", () => _disks.DeleteInstanceFilesAsync(id, CancellationToken.None));
            var layout = await _disks.CreateRootDiskAsync(current, image, flavor, new BuildProgressReporter(_buildProgress, id), cancellationToken).ConfigureAwait(false);
            _faults.Reached(FaultSteps.CreateDiskMade);

            stage = "defining its guest";
            current = await _store.UpdateAsync(current with { TaskState = TaskState.Spawning, UpdatedAt = Now }, cancellationToken).ConfigureAwait(false);
            revert.Add("undefining its guest", () => _hypervisor.UndefineGuestAsync(id, CancellationToken.None));
            await _hypervisor.DefineGuestAsync(new GuestSpec(id, instance.Name, flavor, image, layout), cancellationToken).ConfigureAwait(false);
            _faults.Reached(FaultSteps.CreateGuestDefined);

            stage = "starting its guest";
            revert.Add("powering off its guest", () => _hypervisor.DestroyGuestAsync(id, CancellationToken.None));
            await _hypervisor.StartGuestAsync(id, cancellationToken).ConfigureAwait(false);
            _faults.Reached(FaultSteps.CreateGuestStarted);

            stage = "recording it as active";
            var cpu = await ReadGuestCpuQuietlyAsync(id, cancellationToken).ConfigureAwait(false);
            var now = Now;
            current = await _store.UpdateAsync(
                current with { VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running, FaultReason = null, LaunchedAt = now, UpdatedAt = now, EffectiveCpu = cpu },
                cancellationToken).ConfigureAwait(false);
            revert.Commit();
        }
        catch (Exception exception)
        {
            var failures = await revert.RevertAsync().ConfigureAwait(false);
            throw await FailBuildAsync(instance, requestId, stage, exception, failures).ConfigureAwait(false);
        }
        finally
        {
            _buildProgress.TryRemove(id, out _);
        }

        await FinishActionQuietlyAsync(id, requestId, ActionResult.Success, message: null).ConfigureAwait(false);
        return current;
    }

    /// <summary>
    /// Puts a failed build into ERROR with its reason (unless a delete took it over) and
    /// returns the exception for the caller. Its own failures are swallowed: the row then
    /// stays in BUILD and start-up reconciliation finishes the job.
    /// </summary>
    private async Task<VireoException> FailBuildAsync(Instance instance, string requestId, string stage, Exception exception, IReadOnlyList<RevertFailure> revertFailures)
    {
        var (kind, message) = Describe(exception);
        var reason = $"the build failed while {stage}: {message}{DescribeRevertFailures(revertFailures)}";
        Instance? latest = null;
        try
        {
            latest = await _store.GetAsync(instance.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception readFailure)
        {
            // Leave it to reconciliation.
            CoreLog.RowNotReadAfterFailure(_logger, "build", instance.Id, readFailure.Message);
        }

        if (latest is { TaskState: TaskState.Deleting } or { IsDeleted: true })
        {
            await FinishActionQuietlyAsync(instance.Id, requestId, ActionResult.Error, "the server was deleted while it was building").ConfigureAwait(false);
            return new VireoException(ErrorKind.Conflict, $"{instance.Label} was deleted while it was building", exception);
        }

        if (latest is not null)
        {
            // After a clean undo there is no guest; after a failed one, record what is left.
            var power = revertFailures.Count == 0 ? PowerState.NoState : await TryReadPowerAsync(instance.Id).ConfigureAwait(false) ?? PowerState.NoState;
            try
            {
                await _store.UpdateAsync(
                    latest with { VmState = VmState.Error, TaskState = null, PowerState = power, FaultReason = reason, UpdatedAt = Now },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception updateFailure)
            {
                // Leave it to reconciliation.
                CoreLog.RowNotUpdatedAfterFailure(_logger, "build", instance.Id, updateFailure.Message);
            }

            await AddFaultQuietlyAsync(instance.Id, kind, reason, exception).ConfigureAwait(false);
        }

        await FinishActionQuietlyAsync(instance.Id, requestId, ActionResult.Error, reason).ConfigureAwait(false);
        return new VireoException(kind, $"{instance.Label} could not be built: {reason}; it is now in ERROR, delete it", exception);
    }

    /// <summary>Records a build's percentage; never lets it go backwards.</summary>
    private sealed class BuildProgressReporter(ConcurrentDictionary<Guid, int> progress, Guid instanceId) : IProgress<int>
    {
        public void Report(int value) =>
            progress.AddOrUpdate(instanceId, Math.Clamp(value, 0, 100), (_, old) => Math.Max(old, Math.Clamp(value, 0, 100)));
    }
}
