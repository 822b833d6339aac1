using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Vireo.Api.Auth;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Api.Servers;

/// <summary>
/// A server list's query as Nova reads it (nova/api/openstack/compute/servers.py <c>_get_servers</c>,
/// nova/api/openstack/common.py): <c>all_tenants</c> (admins; then <c>tenant_id</c>/<c>project_id</c> narrow it),
/// <c>limit</c>, <c>marker</c>, <c>sort_key</c>/<c>sort_dir</c> (default created_at desc, then id), and the filters
/// <c>name</c> (a regular expression searched in the name) and <c>status</c>. Sorting and paging are the store's;
/// with a name or status filter the page is cut after filtering.
/// </summary>
internal static class ServerListRequest
{
    /// <summary>Nova's <c>[api] max_limit</c> default: a page holds at most this many servers.</summary>
    public const int MaxLimit = 1000;

    public static async Task<IReadOnlyList<Instance>> ListAsync(HttpContext http, ComputeService compute, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var page = Page(query);
        var list = new ServerListQuery
        {
            AllProjects = AllTenants(query),
            ProjectFilter = First(query, "project_id") ?? First(query, "tenant_id"),
            Page = page,
        };
        var caller = RequestContexts.Of(http);
        var name = First(query, "name");
        var statuses = query.TryGetValue("status", out var given)
            ? given.Where(status => !string.IsNullOrEmpty(status)).Select(status => status!.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal)
            : [];
        if (string.IsNullOrEmpty(name) && statuses.Count == 0)
        {
            return await compute.ListServersAsync(list, caller, cancellationToken).ConfigureAwait(false);
        }

        var all = await compute.ListServersAsync(list with { Page = page with { Limit = null, Marker = null } }, caller, cancellationToken).ConfigureAwait(false);
        var matcher = NameMatcher(name);
        var filtered = all.Where(instance => matcher(instance.Name) && (statuses.Count == 0 || statuses.Contains(instance.Status)));
        return page.Apply(filtered);
    }

    /// <summary>Nova's <c>is_all_tenants</c>: present and empty, or a true word; a word that is neither is a 400.</summary>
    private static bool AllTenants(IQueryCollection query)
    {
        if (!query.TryGetValue("all_tenants", out var values))
        {
            return false;
        }

        var value = values.ToString().Trim().ToLowerInvariant();
        return value switch
        {
            "" or "1" or "true" or "t" or "yes" or "y" or "on" => true,
            "0" or "false" or "f" or "no" or "n" or "off" => false,
            _ => throw ApiRequestException.BadRequest($"'all_tenants' must be a boolean such as 1 or 0, got '{values}'"),
        };
    }

    private static InstanceQuery Page(IQueryCollection query)
    {
        var page = new InstanceQuery();
        if (First(query, "limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
            {
                throw ApiRequestException.BadRequest($"limit param must be an integer, got '{limitText}'");
            }

            page = page with { Limit = Math.Min(limit, MaxLimit) };
        }
        else
        {
            page = page with { Limit = MaxLimit };
        }

        if (First(query, "marker") is { } markerText)
        {
            page = page with { Marker = Guid.TryParse(markerText, out var marker) ? marker : throw ApiRequestException.BadRequest($"marker [{markerText}] not found") };
        }

        if (First(query, "sort_key") is { } sortKey)
        {
            page = page with
            {
                SortKey = InstanceQuery.SortKeyNames.TryGetValue(sortKey, out var key)
                    ? key
                    : throw ApiRequestException.BadRequest($"Invalid sort_key '{sortKey}'; use one of {string.Join(", ", InstanceQuery.SortKeyNames.Keys)}"),
            };
        }

        if (First(query, "sort_dir") is { } sortDir)
        {
            page = page with
            {
                Descending = sortDir switch
                {
                    "desc" => true,
                    "asc" => false,
                    _ => throw ApiRequestException.BadRequest($"Invalid sort_dir '{sortDir}'; use asc or desc"),
                },
            };
        }

        return page;
    }

    private static string? First(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    /// <summary>Nova searches the name with the filter as a regular expression; one that is not a valid pattern is matched as text.</summary>
    private static Func<string, bool> NameMatcher(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return _ => true;
        }

        Regex pattern;
        try
        {
            pattern = new Regex(name, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            return candidate => candidate.Contains(name, StringComparison.Ordinal);
        }

        return candidate =>
        {
            try
            {
                return pattern.IsMatch(candidate);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        };
    }
}
