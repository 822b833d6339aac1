using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

/// <summary>
/// The one application service behind the API and the CLI: create, delete, start, stop,
/// reboot, show and list servers. Each mutation is accepted quickly (validated, the row
/// written with its task_state, the action recorded) and then runs in the background; the
/// <c>Begin*</c> methods return both halves so an API can answer 202 at once, the others
/// wait for the end. Split by operation into partial files.
/// </summary>
public sealed partial class ComputeService
{
    private readonly IInstanceStore _store;
    private readonly IFlavorStore _flavors;
    private readonly IImageCatalog _images;
    private readonly IHypervisor _hypervisor;
    private readonly IInstanceDisks _disks;
    private readonly IImageStore? _imageStore;
    private readonly IFaultPoints _faults;
    private readonly TimeProvider _time;
    private readonly ComputeServiceOptions _options;
    private readonly InstanceGates _gates = new();
    private readonly ILogger _logger;
    private readonly RunningOperations _running;
    private readonly SemaphoreSlim _flavorCreates = new(1, 1);

    public ComputeService(
        IInstanceStore store,
        IFlavorStore flavors,
        IImageCatalog images,
        IHypervisor hypervisor,
        IInstanceDisks disks,
        IFaultPoints faults,
        TimeProvider time,
        ComputeServiceOptions options,
        ILogger<ComputeService>? logger = null,
        IImageStore? imageStore = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _flavors = flavors ?? throw new ArgumentNullException(nameof(flavors));
        _images = images ?? throw new ArgumentNullException(nameof(images));
        _hypervisor = hypervisor ?? throw new ArgumentNullException(nameof(hypervisor));
        _disks = disks ?? throw new ArgumentNullException(nameof(disks));
        _faults = faults ?? throw new ArgumentNullException(nameof(faults));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options;
        _logger = logger ?? NullLogger<ComputeService>.Instance;
        _imageStore = imageStore;
        _running = new RunningOperations(_logger);
    }

    /// <summary>The kind tags this service's operations are counted under (<see cref="VireoMetrics.RecordOperation"/>).</summary>
    public static IReadOnlyList<string> OperationMetricKinds => OperationMetering.Kinds;

    /// <summary>Completes when every operation running in the background now has ended.</summary>
    public Task WhenIdleAsync() => _running.WhenIdleAsync();

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The context of the service's own passes (reconciliation, pending deletes, power-state sync, the image cache): admin in the default project.</summary>
    public RequestContext ServiceContext() => RequestContext.ForService(_options.DefaultProjectId);

    private static VireoException ServerNotFound(string serverRef) =>
        VireoException.NotFound($"server '{serverRef}' does not exist; servers are addressed by id here: list the servers to see their ids");

    /// <summary>
    /// The server that is not deleted, by id only (as Nova): a name is not looked up, so a request
    /// that guesses a name reaches nothing; clients resolve names themselves by listing. Another
    /// project's server is not found for a caller who is not an admin (<see cref="Access.CanSeeServer"/>),
    /// with the same message as one that does not exist.
    /// </summary>
    private async Task<Instance> FindLiveAsync(string serverRef, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(serverRef))
        {
            throw VireoException.InvalidInput("a server id is required");
        }

        var instance = Guid.TryParse(serverRef, out var id)
            ? await _store.GetAsync(id, cancellationToken).ConfigureAwait(false)
            : null;
        return instance is { IsDeleted: false } && Access.CanSeeServer(context, instance) ? instance : throw ServerNotFound(serverRef);
    }

    /// <summary>
    /// Checks the transition table and stores the operation's task_state in one
    /// compare-and-set; when another request changed the row in between, reads it again
    /// and re-checks, so two requests never both win.
    /// </summary>
    private async Task<Instance> AcceptAsync(Guid instanceId, ComputeOperation operation, CancellationToken cancellationToken)
    {
        var rule = Transitions.RuleFor(operation);
        for (var attempt = 1; ; attempt++)
        {
            var instance = await _store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (instance is null or { IsDeleted: true })
            {
                throw ServerNotFound(instanceId.ToString("D", CultureInfo.InvariantCulture));
            }

            Transitions.EnsureAllowed(operation, instance);
            try
            {
                return await _store.UpdateAsync(instance with { TaskState = rule.Task, UpdatedAt = Now }, cancellationToken).ConfigureAwait(false);
            }
            catch (VireoException conflict) when (conflict.Kind == ErrorKind.Conflict && attempt < _options.ConcurrentUpdateAttempts)
            {
                // Someone else changed the row first; look again.
                CoreLog.ConcurrentUpdateRetried(_logger, instanceId, attempt);
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the newest row and stores it, reading again when
    /// another request wrote in between. For writes that win regardless (finishing a delete).
    /// </summary>
    private async Task<Instance> UpdateLatestAsync(Guid instanceId, Func<Instance, Instance> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var latest = await _store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false)
                ?? throw new VireoException(ErrorKind.Internal, $"instance {instanceId} vanished from the store while it was being changed");
            try
            {
                return await _store.UpdateAsync(change(latest), cancellationToken).ConfigureAwait(false);
            }
            catch (VireoException conflict) when (conflict.Kind == ErrorKind.Conflict && attempt < _options.ConcurrentUpdateAttempts)
            {
                // Someone else changed the row first; look again.
                CoreLog.ConcurrentUpdateRetried(_logger, instanceId, attempt);
            }
        }
    }

    /// <summary>
    /// Records that a request started an action. The instance row is the truth and the
    /// actions are history, so failing to write one never fails or undoes an operation.
    /// </summary>
    private async Task RecordActionQuietlyAsync(Instance instance, string action, string requestId)
    {
        try
        {
            await _store.AddActionAsync(new InstanceAction(instance.Id, requestId, action, Now), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // History only; see the summary.
            CoreLog.ActionNotRecorded(_logger, action, instance.Id, requestId, exception.Message);
        }
    }

    /// <summary>Closes an action; quietly, like <see cref="RecordActionQuietlyAsync"/>.</summary>
    private async Task FinishActionQuietlyAsync(Guid instanceId, string requestId, ActionResult result, string? message)
    {
        try
        {
            await _store.FinishActionAsync(instanceId, requestId, Now, result, message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // History only; see the summary.
            CoreLog.ActionNotFinished(_logger, requestId, instanceId, result.ToString(), exception.Message);
        }
    }

    private async Task AddFaultQuietlyAsync(Guid instanceId, ErrorKind kind, string message, Exception? exception)
    {
        try
        {
            var fault = new InstanceFault(instanceId, ErrorKinds.HttpStatus(kind), message, Now, exception?.ToString());
            await _store.AddFaultAsync(fault, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            // History only: the reason is on the instance row as well.
            CoreLog.FaultNotRecorded(_logger, instanceId, message, failure.Message);
        }
    }

    /// <summary>The guest's power state now, or null when it is gone or cannot be read.</summary>
    private async Task<PowerState?> TryReadPowerAsync(Guid instanceId)
    {
        try
        {
            var guest = await _hypervisor.GetGuestAsync(instanceId, CancellationToken.None).ConfigureAwait(false);
            return guest?.PowerState ?? PowerState.NoState;
        }
        catch (Exception exception)
        {
            CoreLog.PowerStateNotRead(_logger, instanceId, exception.Message);
            return null;
        }
    }

    /// <summary>
    /// The running guest's CPU for the instance record, or null ("not recorded"). A guest that
    /// booted is not failed for want of a record, and a stale record would mislead a migration check.
    /// </summary>
    private async Task<EffectiveGuestCpu?> ReadGuestCpuQuietlyAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        try
        {
            return await _hypervisor.ReadGuestCpuAsync(instanceId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            CoreLog.GuestCpuNotRead(_logger, instanceId, exception.Message);
            return null;
        }
    }

    /// <summary>The failure's own sentence, with its kind kept; anything unexpected becomes <see cref="ErrorKind.Failed"/>.</summary>
    private static (ErrorKind Kind, string Message) Describe(Exception exception) => exception switch
    {
        VireoException vireo => (vireo.Kind, vireo.Message),
        OperationCanceledException => (ErrorKind.Failed, "it was cancelled"),
        _ => (ErrorKind.Failed, exception.Message),
    };

    private static string DescribeRevertFailures(IReadOnlyList<RevertFailure> failures) =>
        failures.Count == 0
            ? string.Empty
            : "; cleaning up also failed (" + string.Join("; ", failures.Select(failure => $"{failure.Description}: {Describe(failure.Exception).Message}"))
                + "), delete the server to retry the clean-up";
}
