using Microsoft.Extensions.Logging;
using Vireo.Core.Ports;

namespace Vireo.Core.Reconciliation;

/// <summary>
/// Start-up reconciliation: reads the facts (this host's rows, owned guests, instance
/// directories), decides with <see cref="Reconciler"/> and repairs with
/// <see cref="ReconcileExecutor"/>. Run it before serving requests: it treats every build
/// and task it finds as interrupted.
/// </summary>
public sealed class ReconcileRunner(IInstanceStore store, IHypervisor hypervisor, IInstanceDisks disks, TimeProvider time, string host, ILogger? logger = null)
{
    public async Task<ReconcileFacts> ReadFactsAsync(CancellationToken cancellationToken)
    {
        var instances = await store.ListAsync(includeDeleted: false, cancellationToken).ConfigureAwait(false);
        var guests = await hypervisor.ListOwnedGuestsAsync(cancellationToken).ConfigureAwait(false);
        var directories = await disks.ListInstanceDirectoriesAsync(cancellationToken).ConfigureAwait(false);
        return new ReconcileFacts(host, instances, guests, directories);
    }

    public async Task<ReconcileReport> RunAsync(CancellationToken cancellationToken)
    {
        var facts = await ReadFactsAsync(cancellationToken).ConfigureAwait(false);
        var actions = Reconciler.Decide(facts);
        return await new ReconcileExecutor(store, hypervisor, disks, time, logger).ExecuteAsync(actions, cancellationToken).ConfigureAwait(false);
    }
}
