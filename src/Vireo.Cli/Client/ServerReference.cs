namespace Vireo.Cli.Client;

/// <summary>
/// What a SERVER argument names. The API addresses servers by id only (as Nova), so the client
/// resolves a name itself from the server list, the way the OpenStack client does.
/// </summary>
public static class ServerReference
{
    /// <summary>An id is used as it is; anything else is a name to look up.</summary>
    public static bool IsId(string reference) => Guid.TryParse(reference, out _);

    /// <summary>
    /// The id of the one server named <paramref name="reference"/> in <paramref name="servers"/>;
    /// not found (exit 3) when none is, refused (exit 4) listing the ids when several are.
    /// </summary>
    public static string Resolve(string reference, IReadOnlyList<(string Id, string Name)> servers)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(servers);
        if (IsId(reference))
        {
            return reference;
        }

        var matches = servers.Where(server => string.Equals(server.Name, reference, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new ClientFailure(
                ExitCodes.NotFound,
                $"no server is named '{reference}'; `vireo server list` shows the servers with their names and ids"),
            _ => throw new ClientFailure(
                ExitCodes.Conflict,
                $"{matches.Count} servers are named '{reference}' ({string.Join(", ", matches.Select(server => server.Id).Order(StringComparer.Ordinal))}); name the one you mean by its id"),
        };
    }
}
