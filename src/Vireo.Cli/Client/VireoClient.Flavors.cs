using Vireo.Api.Contracts;

namespace Vireo.Cli.Client;

public sealed partial class VireoClient
{
    /// <summary>Every flavor, public or not (<c>is_public=none</c>).</summary>
    public async Task<IReadOnlyList<FlavorDetail>> ListFlavorsAsync(CancellationToken cancellationToken) =>
        (await ReadAsync<FlavorDetailListResponse>(Compute(HttpMethod.Get, "flavors/detail?is_public=none"), cancellationToken).ConfigureAwait(false)).Flavors;

    /// <summary>A flavor by id or name (the service resolves both).</summary>
    public async Task<FlavorDetail> ShowFlavorAsync(string flavorRef, CancellationToken cancellationToken) =>
        (await ReadAsync<FlavorResponse>(Compute(HttpMethod.Get, "flavors/" + Escape(flavorRef)), cancellationToken).ConfigureAwait(false)).Flavor;

    public async Task<FlavorDetail> CreateFlavorAsync(FlavorCreateRequest flavor, CancellationToken cancellationToken) =>
        (await ReadAsync<FlavorResponse>(Compute(HttpMethod.Post, "flavors", new FlavorCreateBody { Flavor = flavor }), cancellationToken).ConfigureAwait(false)).Flavor;

    public Task DeleteFlavorAsync(string flavorId, CancellationToken cancellationToken) =>
        SendAsync(Compute(HttpMethod.Delete, "flavors/" + Escape(flavorId)), cancellationToken);
}
