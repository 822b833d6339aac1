using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Vireo.Cli;
using Vireo.Cli.Client;
using Vireo.Cli.Commands;

namespace Vireo.Api.Tests.Cli;

/// <summary>Runs client commands in-process against a service address, capturing standard output and error.</summary>
internal static class CliRunner
{
    // The global options are shared static symbols; building trees one at a time keeps their parent lists consistent.
    private static readonly Lock BuildLock = new();

    public sealed record Result(int Exit, string Out, string Err)
    {
        public JsonElement Json => JsonDocument.Parse(Out).RootElement;
    }

    public static Task<Result> RunAsync(ApiHost api, params string[] args) => RunAsync(api.BaseAddress, args);

    public static async Task<Result> RunAsync(Uri baseUrl, params string[] args)
    {
        RootCommand root;
        lock (BuildLock)
        {
            root = new RootCommand("test");
            GlobalOptions.AddTo(root);
            var setup = new ClientSetup { BaseUrl = baseUrl, PollInterval = TimeSpan.FromMilliseconds(20) };
            FlavorCommands.AddTo(root, setup);
            ImageCommands.AddTo(root, setup);
            ServerCommands.AddTo(root, setup);
            HostCommands.AddTo(root, setup);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return new Result(ExitCodes.Usage, string.Empty, string.Join("\n", parse.Errors.Select(error => error.Message)));
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return new Result(exit, output.ToString(), error.ToString());
    }

    /// <summary>An address where nothing listens.</summary>
    public static Uri ClosedAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }
}
