using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vireo.Api.Auth;
using Vireo.Configuration.Options;
using Vireo.Identity;

namespace Vireo.Cli.Serve;

/// <summary>
/// With [keystone_authtoken] configured the API authenticates every request against Keystone
/// (<see cref="KeystoneAuthenticator"/>), registered before AddComputeApi so that it replaces noauth2.
/// </summary>
public static class KeystoneComposition
{
    private const string HttpClientKey = "keystone";

    public static void AddKeystoneAuthentication(IServiceCollection services, KeystoneAuthTokenOptions keystone)
    {
        if (!keystone.IsConfigured)
        {
            return;
        }

        // `vireo config check` refuses these already; the service never starts half-configured.
        if (keystone.AuthType is { } type && !string.Equals(type, "password", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"[keystone_authtoken] auth_type = {type} is not supported; set auth_type = password");
        }

        var authUrl = new Uri(keystone.AuthUrl ?? throw Missing("auth_url"));
        var credentials = new PasswordCredentials(
            keystone.Username ?? throw Missing("username"),
            keystone.Password ?? throw Missing("password"),
            Domain(keystone.UserDomainId, keystone.UserDomainName),
            keystone.ProjectName ?? throw Missing("project_name"),
            Domain(keystone.ProjectDomainId, keystone.ProjectDomainName));
        var wwwAuthenticate = keystone.WwwAuthenticateUri is { } uri ? new Uri(uri) : authUrl;
        var timeout = TimeSpan.FromSeconds(keystone.HttpConnectTimeoutSeconds);
        var cacheTime = TimeSpan.FromSeconds(Math.Max(0, keystone.TokenCacheTimeSeconds));

        // Made by the container, so disposed with it.
        services.AddKeyedSingleton(HttpClientKey, (_, _) => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = timeout + TimeSpan.FromSeconds(5),
        });
        services.AddSingleton(sp => new KeystoneTokenValidator(
            new KeystoneClient(sp.GetRequiredKeyedService<HttpClient>(HttpClientKey), authUrl, timeout),
            credentials, cacheTime, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Vireo.Identity")));
        services.AddSingleton<IRequestAuthenticator>(sp => new KeystoneAuthenticator(
            sp.GetRequiredService<KeystoneTokenValidator>(), wwwAuthenticate, credentials.Username, credentials.ProjectName));
    }

    /// <summary>The domain of the user and the project when the section names none (DevStack's and Keystone bootstrap's).</summary>
    public const string DefaultDomain = "Default";

    /// <summary>By id when given (keystoneauth1/identity/v3/password.py sends the id then), else by name, else Default.</summary>
    public static KeystoneDomain Domain(string? id, string? name) =>
        !string.IsNullOrEmpty(id) ? KeystoneDomain.ById(id) : KeystoneDomain.ByName(string.IsNullOrEmpty(name) ? DefaultDomain : name);

    private static InvalidOperationException Missing(string option) =>
        new($"[keystone_authtoken] {option} is not set; set it, or remove the section to run without Keystone");
}
