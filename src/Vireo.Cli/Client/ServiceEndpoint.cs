using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vireo.Cli.Client;

/// <summary>
/// Where client commands find the service: <c>VIREO_URL</c> when set, else the address the
/// service listens on per nova.conf (<c>[DEFAULT] osapi_compute_listen</c> and
/// <c>osapi_compute_listen_port</c>), with a wildcard listen address reached over loopback.
/// </summary>
public static class ServiceEndpoint
{
    public const string EnvironmentVariable = "VIREO_URL";

    public static Uri Resolve(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } url)
        {
            return FromUrl(url);
        }

        var result = CliConfiguration.Load(parse);
        if (result.Options is not { } options)
        {
            var first = result.Errors.Count > 0 ? result.Errors[0].ToString() : "it could not be read";
            throw new ClientFailure(
                ExitCodes.Configuration,
                $"the configuration has {result.Errors.Count} error(s), the first: {first}; run 'vireo config check' to see them all");
        }

        return FromListen(options.Default.OsapiComputeListen, options.Default.OsapiComputeListenPort);
    }

    /// <summary>The URL of a service listening on <paramref name="listen"/>:<paramref name="port"/>.</summary>
    public static Uri FromListen(string listen, int port)
    {
        var host = (listen ?? string.Empty).Trim();
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (IPAddress.TryParse(host, out var address))
        {
            if (address.Equals(IPAddress.Any) || host.Length == 0)
            {
                address = IPAddress.Loopback;
            }
            else if (address.Equals(IPAddress.IPv6Any))
            {
                address = IPAddress.IPv6Loopback;
            }

            host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        }
        else if (host.Length == 0)
        {
            host = IPAddress.Loopback.ToString();
        }

        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}"));
    }

    /// <summary>The URL given in <c>VIREO_URL</c>.</summary>
    public static Uri FromUrl(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        throw new ClientFailure(
            ExitCodes.Configuration,
            $"{EnvironmentVariable}='{url}' is not an http:// or https:// URL; set it like http://127.0.0.1:8774 or unset it");
    }

    /// <summary>How messages show the service: <c>http://127.0.0.1:8774</c>.</summary>
    public static string Display(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }
}
