using System.Globalization;

namespace Vireo.Core.Compute;

public sealed partial class ComputeService
{
    /// <summary>A server by id; NotFound when there is none, it is deleted, or the reference is not an id.</summary>
    public Task<Instance> ShowServerAsync(string serverRef, CancellationToken cancellationToken) => FindLiveAsync(serverRef, cancellationToken);

    /// <summary>Servers that are not deleted, newest first.</summary>
    public Task<IReadOnlyList<Instance>> ListServersAsync(CancellationToken cancellationToken) => _store.ListAsync(includeDeleted: false, cancellationToken);

    /// <summary>The actions of a server, oldest first; a deleted server's by its id.</summary>
    public async Task<IReadOnlyList<InstanceAction>> ListServerActionsAsync(string serverRef, CancellationToken cancellationToken)
    {
        var instance = await FindWithHistoryAsync(serverRef, cancellationToken).ConfigureAwait(false);
        return await _store.ListActionsAsync(instance.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The faults of a server, newest first; a deleted server's by its id.</summary>
    public async Task<IReadOnlyList<InstanceFault>> ListServerFaultsAsync(string serverRef, CancellationToken cancellationToken)
    {
        var instance = await FindWithHistoryAsync(serverRef, cancellationToken).ConfigureAwait(false);
        return await _store.ListFaultsAsync(instance.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Instance> FindWithHistoryAsync(string serverRef, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(serverRef, out var id))
        {
            return await _store.GetAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw ServerNotFound(id.ToString("D", CultureInfo.InvariantCulture));
        }

        return await FindLiveAsync(serverRef, cancellationToken).ConfigureAwait(false);
    }
}
