using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Vireo.Api;
using Vireo.Api.Http;
using Vireo.Cli.Commands;
using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Options;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Diagnostics;
using Vireo.Core.Reconciliation;
using Vireo.Core.Ports;
using Vireo.DomainXml;
using Vireo.HostCheck;
using Vireo.Storage.Disks.Backends;
using Vireo.State;
using Vireo.Storage;
using Vireo.Storage.Cache;
using Vireo.Storage.Disks;
using Vireo.Storage.HostFacts;
using Vireo.Storage.Images;
using Vireo.Storage.Qemu;
using Vireo.Virt;

namespace Vireo.Cli.Serve;

/// <summary>`vireo serve`: the compute service (the composition root wires every component here).</summary>
public static partial class ServeCommand
{
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var skipHostCheck = new Option<bool>("--skip-host-check")
        {
            Description = $"Start without the host readiness checks (emergencies only; also {SkipHostCheckVariable}=1). Normally serve runs `vireo host check`'s checks and refuses (exit 78) a configuration this host cannot run.",
        };
        var command = new Command("serve", "Run the compute service: the Compute API on osapi_compute_listen:osapi_compute_listen_port, guests through libvirt.")
        {
            skipHostCheck,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!CliConfiguration.TryLoad(parse, out var options, out var exit))
            {
                return exit;
            }
            var listen = ListenPolicy.Decide(options.Default.OsapiComputeListen, authenticated: options.KeystoneAuthToken.IsConfigured, options.Vireo.AllowUnauthenticatedRemoteApi);
            if (listen.Refusal is { } refusal)
            {
                Console.Error.WriteLine("vireo: " + refusal);
                return ExitCodes.Configuration;
            }

            var backend = await ImageBackendChoice.DecideAsync(options, cancellationToken).ConfigureAwait(false);
            if (backend.Refusal is { } backendRefusal)
            {
                Console.Error.WriteLine("vireo: " + backendRefusal);
                return ExitCodes.Configuration;
            }

            try
            {
                // One service per state_path, taken before anything under it is read or changed.
                using var stateLock = StateLock.Acquire(options.Default.StatePath);
                DirectoryFacts? checkedInstances = null;
                if (!parse.GetValue(skipHostCheck) && Environment.GetEnvironmentVariable(SkipHostCheckVariable) != "1")
                {
                    var (passes, instances) = await HostCheckPassesAsync(options, cancellationToken).ConfigureAwait(false);
                    if (!passes)
                    {
                        return ExitCodes.Configuration;
                    }
                    checkedInstances = instances;
                }
                await RunAsync(options, listen, backend, checkedInstances, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (VireoException e)
            {
                Console.Error.WriteLine($"vireo: {e.Message}");
                return ErrorKinds.ExitCode(e.Kind);
            }
            catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"vireo: cannot listen on {options.Default.OsapiComputeListen}:{options.Default.OsapiComputeListenPort} ({e.Message}); stop the other service or set [DEFAULT] osapi_compute_listen_port");
                return ExitCodes.Unavailable;
            }
        });
        root.Subcommands.Add(command);
    }

    public const string SkipHostCheckVariable = "VIREO_SKIP_HOST_CHECK";

    /// <summary>Where the service answers Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// The checks of `vireo host check`, probe included, nothing cached. A failure means every boot
    /// would fail (virt_type=kvm where KVM guests do not run, say): refuse to start and say why.
    /// libvirt not answering is an outage, not a configuration error: serve starts and waits for it.
    /// Gives back the instances directory as the check read it (its O_DIRECT fact is not probed again).
    /// </summary>
    private static async Task<(bool Passes, DirectoryFacts Instances)> HostCheckPassesAsync(VireoOptions options, CancellationToken cancellationToken)
    {
        var (report, facts) = await HostReadinessCheck.RunAsync(HostCheckConfig.From(options), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (report.Blocking.Count > 0)
        {
            Console.Error.Write($"vireo: this host cannot run the configuration (virt_type={report.Config.VirtTypeName}); {report.Blocking.Count} host check(s) failed:\n"
                + HostCheckOutput.Lines(report.Blocking) + HostCheckOutput.Recommendation(report.Recommendation));
            Console.Error.WriteLine("vireo: fix the configuration or the host and start again ('vireo host check' shows every check; --skip-host-check starts anyway).");
            return (false, facts.Storage.InstancesPath);
        }

        var notes = report.Checks.Where(c => c.Status == CheckStatus.Warn || c.Status == CheckStatus.Fail).ToList();
        if (notes.Count > 0)
        {
            Console.Error.Write($"vireo: host check: {HostCheckOutput.Summary(report)}\n" + HostCheckOutput.Lines(notes));
        }

        return (true, facts.Storage.InstancesPath);
    }

    /// <summary>Runs the service; the caller holds the <see cref="StateLock"/> on state_path.</summary>
    /// <param name="checkedInstances">The instances directory as the start-up host check read it; null when it was skipped.</param>
    private static async Task RunAsync(VireoOptions options, ListenDecision listen, ImageBackendDecision backend, DirectoryFacts? checkedInstances, CancellationToken cancellationToken)
    {
        var faults = FaultInjection.FromEnvironment();
        var statePath = options.Default.StatePath;
        Directory.CreateDirectory(options.Default.InstancesPath);
        var installationId = InstallationIdentity.Resolve(options.Vireo.InstallationId, statePath);
        var (cacheMode, cacheWarning) = DiskCachePolicy.Choose(
            options.Libvirt.DiskCachemodes, InstancesDirectIo.Resolve(checkedInstances, () => StorageFactsReader.SupportsDirectIo(options.Default.InstancesPath)));
        if (cacheWarning is not null)
        {
            Console.Error.WriteLine("vireo: " + cacheWarning);
        }

        var databasePath = HostComposition.DatabasePath(options);
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        using var store = SqliteStore.Open(databasePath, defaultProjectId: options.Vireo.DefaultProjectId);

        var storage = HostComposition.Storage(options, installationId);
        var qemuImg = new QemuImg(storage);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.SetMinimumLevel(options.Default.Debug ? LogLevel.Debug : LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", options.Default.Debug ? LogLevel.Information : LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(ListenAddress(options.Default.OsapiComputeListen), options.Default.OsapiComputeListenPort));
        builder.Services.AddSingleton(TimeProvider.System);

        // Made by the container so each gets its logger; disposing the app disposes the hypervisor (and its libvirt connection).
        builder.Services.AddSingleton(sp => new FileImageStore(storage, store.Images, qemuImg, TimeProvider.System, sp.GetRequiredService<ILogger<FileImageStore>>()));
        builder.Services.AddSingleton(sp => new LibvirtHypervisor(
            HostComposition.Hypervisor(options, installationId, cacheMode), TimeProvider.System, sp.GetRequiredService<ILogger<LibvirtHypervisor>>()));
        builder.Services.AddSingleton(sp => new BaseImageCache(storage, sp.GetRequiredService<FileImageStore>(), qemuImg, TimeProvider.System, sp.GetRequiredService<ILogger<BaseImageCache>>()));
        // One backend for the disks and the image cache manager: the rbd backend's base gates keep a create and a removal of its base apart.
        builder.Services.AddSingleton(sp => ImageBackendChoice.Create(backend.Backend!.Value, options, qemuImg, storage, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(sp => new ComputeService(
            store.Instances, store.Flavors, store.Images, sp.GetRequiredService<LibvirtHypervisor>(),
            new InstanceDisks(storage, sp.GetRequiredService<BaseImageCache>(), qemuImg, TimeProvider.System, sp.GetRequiredService<ILogger<InstanceDisks>>(),
                sp.GetRequiredService<IImageBackend>()),
            faults.FaultPoints(), TimeProvider.System, HostComposition.Compute(options, installationId), sp.GetRequiredService<ILogger<ComputeService>>(),
            sp.GetRequiredService<FileImageStore>()));
        builder.Services.AddSingleton(new ServiceReadiness());
        builder.Services.AddSingleton(faults);
        builder.Services.AddSingleton<IInstanceStore>(store.Instances);
        builder.Services.AddSingleton<IFlavorStore>(store.Flavors);
        builder.Services.AddSingleton<IImageCatalog>(store.Images);
        builder.Services.AddSingleton<IImageStore>(sp => sp.GetRequiredService<FileImageStore>());
        builder.Services.AddSingleton<ComputeWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ComputeWorker>());
        builder.Services.AddSingleton(sp => new ImageCacheManager(
            storage, sp.GetRequiredService<BaseImageCache>(), store.Instances, store.Images, HostComposition.ImageCacheRules(options),
            HostComposition.ImageCacheInterval(options), TimeProvider.System, sp.GetRequiredService<ILogger<ImageCacheManager>>(),
            sp.GetRequiredService<IImageBackend>() is RbdBackend rbd ? new RbdBaseCache(rbd, sp.GetRequiredService<ILogger<RbdBaseCache>>()) : null));
        builder.Services.AddSingleton<IImageCacheManager>(sp => sp.GetRequiredService<ImageCacheManager>());
        builder.Services.AddHostedService<ImageCacheWorker>();
        builder.Services.AddHostedService(sp => new PendingDeleteWorker(
            sp.GetRequiredService<ComputeService>(), sp.GetRequiredService<ServiceReadiness>(), HostComposition.PendingDeleteInterval(options),
            TimeProvider.System, sp.GetRequiredService<ILogger<PendingDeleteWorker>>()));
        KeystoneComposition.AddKeystoneAuthentication(builder.Services, options.KeystoneAuthToken);
        builder.Services.AddComputeApi(new ComputeApiOptions
        {
            AllowedHosts = HostAllowList.For(options.Default.OsapiComputeListen, options.Vireo.AllowedHosts),
            ImageSizeCapBytes = options.Image.ImageSizeCapBytes,
            DefaultProjectId = options.Vireo.DefaultProjectId,
        });

        // The Vireo meter (VireoMetrics) in Prometheus text format at /metrics.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(VireoMetrics.MeterName).AddPrometheusExporter());

        await using var app = builder.Build();
        app.MapPrometheusScrapingEndpoint(MetricsPath);

        // The exporter listens once its provider exists; measurements before that are lost. Then every known series starts at zero.
        _ = app.Services.GetRequiredService<MeterProvider>();
        VireoMetrics.PublishAtZero(ComputeService.OperationMetricKinds, ReconcileExecutor.MetricActionNames);
        app.MapComputeApi();
        var compute = app.Services.GetRequiredService<ComputeService>();
        var imageStore = app.Services.GetRequiredService<FileImageStore>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vireo.Serve");
        if (listen.Warning is { } warning)
        {
            LogUnauthenticatedRemoteApi(logger, warning);
        }

        if (backend.Warning is { } backendWarning)
        {
            LogImageBackendWarning(logger, backendWarning);
        }

        LogImageBackend(logger, backend.Backend!.Value.ToString().ToLowerInvariant(), options.Libvirt.ImagesTypeName);
        foreach (var leftover in StorageLeftovers.Remove(storage, DateTimeOffset.UtcNow, StorageLeftovers.DefaultStaleAfter, app.Services.GetRequiredService<ILogger<FileImageStore>>()))
        {
            LogLeftoverRemoved(logger, leftover);
        }

        foreach (var image in await imageStore.RequeueInterruptedUploadsAsync(cancellationToken).ConfigureAwait(false))
        {
            LogUploadRequeued(logger, image.Label);
        }

        LogStarting(logger, options.Default.OsapiComputeListen, options.Default.OsapiComputeListenPort, options.Libvirt.VirtType.ToString().ToLowerInvariant(),
            installationId, databasePath, cacheMode.ToString().ToLowerInvariant());
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        await compute.WhenIdleAsync().ConfigureAwait(false);
    }

    private static IPAddress ListenAddress(string listen) =>
        IPAddress.TryParse(listen, out var address) ? address : Dns.GetHostAddresses(listen).First();

    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "vireo serve: {Warning}")]
    private static partial void LogUnauthenticatedRemoteApi(ILogger logger, string warning);

    [LoggerMessage(EventId = 5700, EventName = "ImageBackendWarning", Level = LogLevel.Warning, Message = "vireo serve: {Warning}")]
    private static partial void LogImageBackendWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 5701, EventName = "ImageBackend", Level = LogLevel.Information,
        Message = "vireo serve: instance disks are made by the {Backend} image backend ([libvirt] images_type = {ImagesType})")]
    private static partial void LogImageBackend(ILogger logger, string backend, string imagesType);

    [LoggerMessage(EventId = 5410, EventName = "Starting", Level = LogLevel.Information,
        Message = "vireo serve: listening on {Listen}:{Port}, virt_type={VirtType}, installation {InstallationId}, database {Database}, disk cache {Cache}")]
    private static partial void LogStarting(ILogger logger, string listen, int port, string virtType, string installationId, string database, string cache);

    [LoggerMessage(EventId = 5411, EventName = "UploadRequeued", Level = LogLevel.Information,
        Message = "vireo serve: {Image} was left saving by a killed upload; it is queued again, send its data again")]
    private static partial void LogUploadRequeued(ILogger logger, string image);

    [LoggerMessage(EventId = 5412, EventName = "LeftoverRemoved", Level = LogLevel.Information,
        Message = "vireo serve: removed {Path}, left by an import or base fill that was killed")]
    private static partial void LogLeftoverRemoved(ILogger logger, string path);
}
