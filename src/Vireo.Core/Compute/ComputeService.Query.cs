using System.Globalization;
using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

/// <summary>
/// What a server list asks for beyond the store's query: the caller's own project unless an admin asks for
/// all projects (Nova's <c>all_tenants</c>, <c>os_compute_api:servers:index:get_all_tenants</c>), optionally
/// narrowed to one project (<c>tenant_id</c>/<c>project_id</c>, admins with all projects only).
/// </summary>
public sealed record ServerListQuery
{
    public bool AllProjects { get; init; }

    public string? ProjectFilter { get; init; }

    /// <summary>Sort, marker and limit, passed to the store.</summary>
    public InstanceQuery Page { get; init; } = new();
}

public sealed partial class ComputeService
{
    /// <summary>A server by id; NotFound when there is none, it is deleted, another project's (for a non-admin), or the reference is not an id.</summary>
    public Task<Instance> ShowServerAsync(string serverRef, RequestContext context, CancellationToken cancellationToken) =>
        FindLiveAsync(serverRef, context, cancellationToken);

    /// <summary>
    /// Servers that are not deleted, sorted and paged by the store: the caller's project's, or every
    /// project's when an admin asks (Forbidden for anyone else, as Nova's policy).
    /// </summary>
    public Task<IReadOnlyList<Instance>> ListServersAsync(ServerListQuery query, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(context);
        string? project = context.ProjectId;
        if (query.AllProjects)
        {
            Policy.Enforce(context, Policy.ServersAllTenants);
            project = query.ProjectFilter;
        }

        return _store.QueryAsync(query.Page with { ProjectId = project }, cancellationToken);
    }

    /// <summary>The actions of a server, oldest first; a deleted server's by its id.</summary>
    public async Task<IReadOnlyList<InstanceAction>> ListServerActionsAsync(string serverRef, RequestContext context, CancellationToken cancellationToken)
    {
        var instance = await FindWithHistoryAsync(serverRef, context, cancellationToken).ConfigureAwait(false);
        return await _store.ListActionsAsync(instance.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The faults of a server, newest first; a deleted server's by its id.</summary>
    public async Task<IReadOnlyList<InstanceFault>> ListServerFaultsAsync(string serverRef, RequestContext context, CancellationToken cancellationToken)
    {
        var instance = await FindWithHistoryAsync(serverRef, context, cancellationToken).ConfigureAwait(false);
        return await _store.ListFaultsAsync(instance.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Instance> FindWithHistoryAsync(string serverRef, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Guid.TryParse(serverRef, out var id))
        {
            var instance = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            return instance is not null && Access.CanSeeServer(context, instance)
                ? instance
                : throw ServerNotFound(id.ToString("D", CultureInfo.InvariantCulture));
        }

        return await FindLiveAsync(serverRef, context, cancellationToken).ConfigureAwait(false);
    }
}
