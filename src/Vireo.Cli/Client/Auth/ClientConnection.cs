using System.CommandLine;
using Vireo.Cli.Client.Keystone;
using Vireo.Cli.Output;

namespace Vireo.Cli.Client.Auth;

/// <summary>
/// Opens the client of one command: resolves the credentials, gets a Keystone token (cached or new) when
/// there are Keystone credentials and takes the service's address from its catalog (unless
/// <c>VIREO_URL</c> or <c>compute_endpoint_override</c> says otherwise); without credentials the
/// address comes from <c>VIREO_URL</c> or nova.conf and every request says noauth2 <c>admin:admin</c>.
/// </summary>
public static class ClientConnection
{
    public static async Task<VireoClient> OpenAsync(ParseResult parse, ClientSetup setup, Terminal terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(terminal);
        if (setup.BaseUrl is { } fixedUrl)
        {
            return new VireoClient(fixedUrl, setup, auth: NoAuthToken.Admin);
        }

        var environment = setup.Environment ?? CredentialSources.ProcessEnvironment();
        void Note(string message) => terminal.Error.WriteLine($"vireo: note: {message}");
        var resolution = CredentialResolver.Resolve(CredentialSources.Gather(environment, CredentialSources.FlagsOf(parse), Directory.GetCurrentDirectory()));
        foreach (var note in resolution.Notes)
        {
            Note(note);
        }

        switch (resolution.Credentials)
        {
            case ClientCredentials.NoAuth noAuth:
                return new VireoClient(resolution.EndpointOverride ?? ServiceEndpoint.Resolve(parse), setup, handler: setup.ServiceHandler?.Invoke(), auth: new NoAuthToken(noAuth));
            case ClientCredentials.KeystonePassword or ClientCredentials.KeystoneToken:
                var scope = resolution.Credentials is ClientCredentials.KeystonePassword password ? password.Scope : ((ClientCredentials.KeystoneToken)resolution.Credentials).Scope;
                var session = new KeystoneSession(
                    resolution.Credentials,
                    new KeystonePasswordAuth(setup.RequestTimeout, setup.KeystoneHandler?.Invoke()),
                    new TokenCache(TokenCache.DirectoryFor(environment), setup.Clock),
                    setup.Clock,
                    Note);
                try
                {
                    var token = await session.CurrentAsync(cancellationToken).ConfigureAwait(false);
                    var baseUrl = resolution.EndpointOverride ?? ServiceCatalog.ComputeBase(token.Catalog, scope);
                    return new VireoClient(baseUrl, setup, handler: setup.ServiceHandler?.Invoke(), auth: session);
                }
                catch
                {
                    session.Dispose();
                    throw;
                }

            default:
                throw new InvalidOperationException($"unknown credentials {resolution.Credentials.GetType().Name}");
        }
    }
}
