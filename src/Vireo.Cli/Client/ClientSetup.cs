namespace Vireo.Cli.Client;

/// <summary>
/// How client commands reach the service and how they wait. The default resolves the credentials
/// and the address per command (<see cref="Auth.ClientConnection"/>: OS_CLOUD/clouds.yaml or OS_*
/// with Keystone, else <c>VIREO_URL</c> or nova.conf with noauth2); tests give a fixed address
/// (noauth2 as admin), or an environment and handlers, and short intervals.
/// </summary>
public sealed record ClientSetup
{
    public static ClientSetup Default { get; } = new();

    /// <summary>A fixed service address reached with noauth2 as admin; null resolves credentials and address per command.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>The environment credentials are resolved from; null reads this process's.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The handler Keystone's token call goes through; null uses a socket handler.</summary>
    public Func<HttpMessageHandler>? KeystoneHandler { get; init; }

    /// <summary>The handler the service's calls go through; null uses a socket handler.</summary>
    public Func<HttpMessageHandler>? ServiceHandler { get; init; }

    /// <summary>The clock a cached token's expiry is judged by.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How often <c>--wait</c> asks the service for the server's state.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest an ordinary call (not an upload) may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
