using System.CommandLine;

namespace Vireo.Cli.Client;

/// <summary>
/// How client commands reach the service and how they wait. The default resolves the
/// address from <c>VIREO_URL</c> or nova.conf; tests give a fixed address and short intervals.
/// </summary>
public sealed record ClientSetup
{
    public static ClientSetup Default { get; } = new();

    /// <summary>A fixed service address; null resolves it per command (<see cref="ServiceEndpoint.Resolve"/>).</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>How often <c>--wait</c> asks the service for the server's state.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest an ordinary call (not an upload) may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public Uri ResolveBaseUrl(ParseResult parse) => BaseUrl ?? ServiceEndpoint.Resolve(parse);
}
