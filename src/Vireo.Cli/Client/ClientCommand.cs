using System.CommandLine;
using Vireo.Cli.Client.Auth;
using Vireo.Cli.Output;

namespace Vireo.Cli.Client;

/// <summary>What a client command's body gets: the parse, where to write, the client and the setup.</summary>
public sealed record ClientInvocation(ParseResult Parse, Terminal Terminal, VireoClient Client, ClientSetup Setup);

/// <summary>
/// Runs a client command's body: resolves the credentials and the service, maps every failure to one sentence
/// on standard error with its exit code, and never shows a stack trace.
/// </summary>
public static class ClientCommand
{
    public static void SetAction(Command command, ClientSetup setup, Func<ClientInvocation, CancellationToken, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(body);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = Terminal.For(parse);
            try
            {
                using var client = await ClientConnection.OpenAsync(parse, setup, terminal, cancellationToken).ConfigureAwait(false);
                return await body(new ClientInvocation(parse, terminal, client, setup), cancellationToken).ConfigureAwait(false);
            }
            catch (ClientFailure failure)
            {
                terminal.Fail(failure.Message);
                return failure.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                terminal.Fail("interrupted; what the service accepted before goes on, see `vireo server list`");
                return ExitCodes.Failed;
            }
            catch (Exception exception)
            {
                terminal.Fail($"internal error: {exception.GetType().Name}: {exception.Message}");
                return ExitCodes.Internal;
            }
        });
    }
}
