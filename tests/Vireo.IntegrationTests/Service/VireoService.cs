using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Vireo.DomainXml;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Service;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public override string ToString() => $"exit {ExitCode}; stdout: {Stdout.Trim()}; stderr: {Stderr.Trim()}";
}

/// <summary>
/// One `vireo serve` process with its own state folder, port and installation id, run exactly as
/// an operator runs it (the published assembly, a nova.conf). Dispose stops it and removes every
/// domain carrying its installation id and its state folder, whatever the test did, and then
/// fails the test when the service logged a 500 (event <see cref="Vireo.Api.Http.ApiEvents.ServerError"/>):
/// no request in the whole suite gets a 500.
/// </summary>
public sealed class VireoService : IAsyncDisposable
{
    private static readonly string VireoDll = Path.Combine(AppContext.BaseDirectory, "vireo.dll");
    private readonly StringBuilder log = new();
    private Process? process;

    /// <param name="extraConfig">Lines of the [libvirt] section.</param>
    /// <param name="vireoConfig">Lines of the [vireo] section.</param>
    /// <param name="extraSections">Whole sections (header and lines) after the others, e.g. [keystone_authtoken].</param>
    public VireoService(string? extraConfig = null, string listen = "127.0.0.1", string? vireoConfig = null, string? extraSections = null)
    {
        Root = Directory.CreateTempSubdirectory("vireo-it-svc-").FullName;
        Port = FreePort();
        InstallationId = "it-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..12];
        ConfigPath = Path.Combine(Root, "nova.conf");
        File.WriteAllText(ConfigPath, $"""
            [DEFAULT]
            state_path = {Root}/state
            osapi_compute_listen = {listen}
            osapi_compute_listen_port = {Port}
            [libvirt]
            # KVM guests hang on these hosts (docs/host-notes.md): TCG.
            virt_type = qemu
            {extraConfig}
            [database]
            connection = sqlite:///{Root}/state/vireo.sqlite
            [vireo]
            installation_id = {InstallationId}
            {vireoConfig}
            {extraSections}
            """);
    }

    public string Root { get; }

    public int Port { get; }

    public string InstallationId { get; }

    public string ConfigPath { get; }

    public string InstancesPath => Path.Combine(Root, "state", "instances");

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    public bool HasExited => process is null || process.HasExited;

    /// <summary>The pid of the running `vireo serve` (the dotnet host runs the service in its own process).</summary>
    public int ProcessId => process?.Id ?? throw new InvalidOperationException("the service is not started");

    public string StatePath => Path.Combine(Root, "state");
    /// <summary>Set by a test that provokes a 500 on purpose; otherwise any logged 500 fails the test at dispose.</summary>
    public bool AllowServerErrors { get; set; }

    /// <summary>The service's log lines recording a response with status 500.</summary>
    public IReadOnlyList<string> ServerErrorLines() => [.. Log.Split('\n').Where(IsServerErrorLine)];

    /// <summary>Whether a line of the service's console log records a 500 (<c>fail: Vireo.Api.Http.FaultBoundary[4400] http.500: ...</c>).</summary>
    public static bool IsServerErrorLine(string line) =>
        line.Contains($"[{Vireo.Api.Http.ApiEvents.ServerError}]", StringComparison.Ordinal)
        && line.Contains(Vireo.Api.Http.ApiEvents.ServerErrorName, StringComparison.Ordinal);

    /// <summary>Starts the service and waits until its API answers (deadline in minutes: the machine is loaded).</summary>
    /// <param name="waitForReconciliation">False: return as soon as the API answers, before start-up reconciliation may have run.</param>
    /// <param name="launcher">A command that execs its arguments (the service keeps its pid), e.g. one that runs it in its own mount namespace.</param>
    public async Task StartAsync(IReadOnlyDictionary<string, string>? environment = null, bool waitForReconciliation = true, IReadOnlyList<string>? launcher = null)
    {
        var logged = Log.Length;
        var info = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (launcher is { Count: > 0 } ? [.. launcher.Skip(1), "dotnet"] : Array.Empty<string>()).Concat([VireoDll, "serve", "--config-file", ConfigPath]))
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        process = Process.Start(info) ?? throw new InvalidOperationException("cannot start vireo serve");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"vireo serve exited with {process.ExitCode}: {Log}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/"));
                if (response.IsSuccessStatusCode && (!waitForReconciliation || Log[logged..].Contains("start-up reconciliation", StringComparison.Ordinal)))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"vireo serve did not answer within 2 minutes: {Log}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to end by itself (e.g. killed at a fault step).</summary>
    public async Task WaitForExitAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        await process!.WaitForExitAsync(cts.Token);
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Runs a `vireo` client command against this service (JSON output).</summary>
    public Task<CliResult> CliAsync(params string[] args) => RunCliAsync(["--config-file", ConfigPath, "--json", .. args]);

    public static async Task<CliResult> RunCliAsync(IReadOnlyList<string> args, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        info.ArgumentList.Add(VireoDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var p = Process.Start(info) ?? throw new InvalidOperationException("cannot start vireo");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(cts.Token);
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>The domains of libvirt that carry this service's installation id.</summary>
    public IReadOnlyList<(Guid Uuid, DomainState State)> OwnedDomains()
    {
        using var connection = Connection.Open("qemu:///system");
        var result = new List<(Guid, DomainState)>();
        foreach (var domain in connection.ListAllDomains())
        {
            using (domain)
            {
                try
                {
                    if (VireoMetadataXml.Extract(domain.GetXmlDescription())?.InstallationId == InstallationId)
                    {
                        result.Add((domain.Uuid, domain.GetState().State));
                    }
                }
                catch (LibvirtNotFoundException)
                {
                    // Undefined while we looked.
                }
            }
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        using (var connection = Connection.Open("qemu:///system"))
        {
            foreach (var (uuid, _) in OwnedDomains())
            {
                BootTestImageTests.Cleanup(connection, uuid);
            }
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        process?.Dispose();
        if (!AllowServerErrors)
        {
            ServerErrorLines().ShouldBeEmpty("the service answered a request with 500; its log has the details");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
