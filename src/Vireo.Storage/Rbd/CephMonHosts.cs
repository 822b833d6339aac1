using Vireo.Core.Ports;

namespace Vireo.Storage.Rbd;

/// <summary>The monitors of a ceph.conf's <c>mon_host</c>, or why they cannot be read.</summary>
/// <param name="Error">What is wrong with the file, as a clause; null when <see cref="Monitors"/> holds at least one.</param>
public sealed record CephMonitors(IReadOnlyList<NetworkHost> Monitors, string? Error);

/// <summary>
/// Pure: the monitors libvirt is given for an RBD disk (<c>&lt;host name port/&gt;</c>), read from
/// the <c>mon_host</c> (or <c>mon host</c>, <c>mon-host</c>) key of ceph.conf's [global] section, as
/// Ceph's own config parser spells keys (src/common/ConfUtils.cc: spaces, '_' and '-' are one).
/// Entries are separated by ',' or white space ('#' and ';' start a comment); each is <c>host</c>, <c>host:port</c>,
/// <c>[ipv6]:port</c>, <c>v1:host:port/nonce</c> or an address vector
/// <c>[v2:host:3300/0,v1:host:6789/0]</c>, of which the v1 address is taken (else the first).
/// Nova asks the cluster instead (nova/virt/libvirt/storage/rbd_utils.py get_mon_addrs); the file
/// gives the same hosts without a round trip.
/// </summary>
public static class CephMonHosts
{
    public static CephMonitors Parse(string confText)
    {
        ArgumentNullException.ThrowIfNull(confText);
        string? value = null;
        var section = "global";
        foreach (var raw in confText.Split('\n'))
        {
            var line = StripComment(raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !string.Equals(section, "global", StringComparison.Ordinal))
            {
                continue;
            }

            if (string.Equals(NormalKey(line[..eq]), "mon_host", StringComparison.Ordinal))
            {
                value = line[(eq + 1)..].Trim();
            }
        }

        if (value is null)
        {
            return new([], "has no mon_host in its [global] section");
        }

        List<NetworkHost> hosts = [];
        foreach (var entry in Entries(value))
        {
            var host = Entry(entry);
            if (host is null)
            {
                return new([], $"has a mon_host entry '{entry}' that is not host, host:port or [v2:host:port/0,v1:host:port/0]");
            }

            hosts.Add(host);
        }

        return hosts.Count == 0 ? new([], "has an empty mon_host") : new(hosts, null);
    }

    private static string StripComment(string line)
    {
        var cut = line.IndexOfAny(['#', ';']);
        return cut < 0 ? line : line[..cut];
    }

    private static string NormalKey(string key) =>
        string.Join('_', key.Trim().Split([' ', '_', '-', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The entries of the value: separators inside brackets belong to an address vector.</summary>
    private static List<string> Entries(string value)
    {
        List<string> entries = [];
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            var c = i < value.Length ? value[i] : ',';
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (depth == 0 && (c == ',' || char.IsWhiteSpace(c)))
            {
                var entry = value[start..i].Trim();
                if (entry.Length > 0)
                {
                    entries.Add(entry);
                }

                start = i + 1;
            }
        }

        return entries;
    }

    private static NetworkHost? Entry(string entry)
    {
        if (entry.StartsWith("[v", StringComparison.Ordinal) && entry.EndsWith(']'))
        {
            var addresses = entry[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var chosen = addresses.FirstOrDefault(a => a.StartsWith("v1:", StringComparison.Ordinal)) ?? addresses.FirstOrDefault();
            return chosen is null ? null : Address(chosen);
        }

        return Address(entry);
    }

    private static NetworkHost? Address(string address)
    {
        if (address.StartsWith("v1:", StringComparison.Ordinal) || address.StartsWith("v2:", StringComparison.Ordinal) || address.StartsWith("any:", StringComparison.Ordinal))
        {
            address = address[(address.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }

        var slash = address.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            address = address[..slash];
        }

        string host;
        string? port = null;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return null;
            }

            host = address[1..close];
            var rest = address[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return null;
                }

                port = rest[1..];
            }
        }
        else
        {
            var colon = address.LastIndexOf(':');
            if (colon >= 0 && address.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return null; // a bare IPv6 address needs brackets to carry a port
            }

            host = colon < 0 ? address : address[..colon];
            port = colon < 0 ? null : address[(colon + 1)..];
        }

        if (host.Length == 0 || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '_')))
        {
            return null;
        }

        if (port is null)
        {
            return new NetworkHost(host, null);
        }

        return int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? new NetworkHost(host, number)
            : null;
    }
}
