using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vireo.Api.Http;

/// <summary>
/// The names the API answers to in the Host header: the loopback names, the listen address and
/// the operator's <c>[vireo] allowed_hosts</c>; any port. A page served from a name the attacker
/// controls that re-resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host and is refused.
/// </summary>
public sealed class HostAllowList
{
    /// <summary>The option that adds names, as messages name it.</summary>
    public const string Option = "[vireo] allowed_hosts";

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1"];

    private readonly HashSet<string> _names;

    public HostAllowList(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in LoopbackNames.Concat(names))
        {
            if (Normalize(name) is { } normalized)
            {
                _names.Add(normalized);
            }
        }
    }

    /// <summary>Only the loopback names: what a service listening on loopback with no extra names answers to.</summary>
    public static HostAllowList LoopbackOnly { get; } = new([]);

    /// <summary>The loopback names, <paramref name="listen"/> (<c>osapi_compute_listen</c>) and <paramref name="allowedHosts"/>.</summary>
    public static HostAllowList For(string listen, IEnumerable<string> allowedHosts) => new([listen, .. allowedHosts]);

    /// <summary>The accepted names in a stable order, as messages list them.</summary>
    public IReadOnlyList<string> Names => [.. _names.Order(StringComparer.Ordinal).Select(n => n.Contains(':', StringComparison.Ordinal) ? $"[{n}]" : n)];

    /// <summary>Whether a Host header value (<c>name</c>, <c>name:port</c>, <c>[v6]</c>, <c>[v6]:port</c>) is one of ours.</summary>
    public bool Allows(string? hostHeader)
    {
        if (string.IsNullOrWhiteSpace(hostHeader))
        {
            return false;
        }

        var text = hostHeader.Trim();
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    return false;
                }

                port = rest[1..];
            }

            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                if (text.IndexOf(':', colon + 1) >= 0)
                {
                    // An IPv6 address must come in brackets in a Host header (RFC 7230 5.4, RFC 3986 3.2.2).
                    return false;
                }

                port = text[(colon + 1)..];
                host = text[..colon];
            }
            else
            {
                host = text;
            }
        }

        if (port is not null && !ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        return Normalize(host) is { } normalized && _names.Contains(normalized);
    }

    /// <summary>Addresses in their canonical form (no brackets), names in lower case without a trailing dot.</summary>
    private static string? Normalize(string name)
    {
        var text = name.Trim().Trim('[', ']');
        if (text.Length == 0)
        {
            return null;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return address.ToString();
        }

        return text.TrimEnd('.').ToLowerInvariant();
    }
}
