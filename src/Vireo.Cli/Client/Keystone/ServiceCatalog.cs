using Vireo.Cli.Client.Auth;
using Vireo.Identity;

namespace Vireo.Cli.Client.Keystone;

/// <summary>
/// Which endpoint of a token's catalog the client uses (keystoneauth1/access/service_catalog.py's
/// endpoint_data_for: service type, interface, region), and the Vireo base URL it stands for.
/// </summary>
public static class ServiceCatalog
{
    /// <summary>
    /// The Vireo base URL from the catalog's <c>compute</c> endpoint of <paramref name="scope"/>'s interface
    /// (and region when given): the endpoint with its trailing <c>/v2.1</c> (and any project id after it) removed,
    /// so image calls go to <c>&lt;base&gt;/image/v2</c>.
    /// </summary>
    public static Uri ComputeBase(IReadOnlyList<CatalogService> catalog, KeystoneScope scope)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(scope);
        var endpoints = catalog
            .Where(service => string.Equals(service.Type, "compute", StringComparison.OrdinalIgnoreCase))
            .SelectMany(service => service.Endpoints ?? [])
            .ToList();
        var where = scope.RegionName is null ? $"interface {scope.Interface}" : $"interface {scope.Interface}, region {scope.RegionName}";
        if (endpoints.Count == 0)
        {
            throw new ClientFailure(
                ExitCodes.Configuration,
                $"the catalog of Keystone at {scope.AuthUrl} has no compute service for project {scope.Project.Display}; register Vireo's endpoints (compute, http://HOST:8774/v2.1) or set VIREO_URL");
        }

        var match = endpoints.FirstOrDefault(endpoint =>
            string.Equals(endpoint.Interface, scope.Interface, StringComparison.OrdinalIgnoreCase)
            && (scope.RegionName is null || string.Equals(endpoint.RegionId ?? endpoint.Region, scope.RegionName, StringComparison.Ordinal))
            && !string.IsNullOrEmpty(endpoint.Url));
        if (match is null)
        {
            var found = string.Join(", ", endpoints.Select(endpoint => $"{endpoint.Interface} in {endpoint.RegionId ?? endpoint.Region ?? "no region"}").Distinct());
            throw new ClientFailure(
                ExitCodes.Configuration,
                $"the catalog of Keystone at {scope.AuthUrl} has no compute endpoint with {where} (it has: {found}); set OS_INTERFACE or OS_REGION_NAME to one of those, or register the endpoint");
        }

        if (!Uri.TryCreate(match.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ClientFailure(
                ExitCodes.Configuration,
                $"the compute endpoint '{match.Url}' in the catalog of Keystone at {scope.AuthUrl} is not an http:// or https:// URL; correct the endpoint in Keystone");
        }

        return VireoBase(url);
    }

    /// <summary>A compute endpoint without its <c>/v2.1</c> (and what follows: Nova's old <c>/v2.1/%(project_id)s</c>); other paths stay.</summary>
    public static Uri VireoBase(Uri computeEndpoint)
    {
        ArgumentNullException.ThrowIfNull(computeEndpoint);
        var path = computeEndpoint.AbsolutePath.TrimEnd('/');
        var at = path.IndexOf("/v2.1", StringComparison.Ordinal);
        if (at >= 0 && (path.Length == at + 5 || path[at + 5] == '/'))
        {
            path = path[..at];
        }

        return new UriBuilder(computeEndpoint) { Path = path.Length == 0 ? "/" : path, Query = string.Empty, Fragment = string.Empty }.Uri;
    }
}
