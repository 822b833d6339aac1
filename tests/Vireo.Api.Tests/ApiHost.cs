using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests;

/// <summary>
/// The API on Kestrel at 127.0.0.1 on a free port, over a real <see cref="ComputeService"/>
/// whose ports are the in-memory fakes.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHost(WebApplication app, Uri baseAddress, ApiFakes fakes, ComputeService compute)
    {
        _app = app;
        BaseAddress = baseAddress;
        Fakes = fakes;
        Compute = compute;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public ApiFakes Fakes { get; }

    public ComputeService Compute { get; }

    public HttpClient Client { get; }

    /// <param name="readiness">Registered when given: writes are refused until it is ready.</param>
    /// <param name="extraEndpoints">Maps test-only endpoints after the API's (e.g. one that throws).</param>
    /// <param name="services">Registers services before the API's (e.g. another authenticator).</param>
    public static async Task<ApiHost> StartAsync(
        ComputeApiOptions? options = null, ServiceReadiness? readiness = null, Action<WebApplication>? extraEndpoints = null,
        Action<IServiceCollection>? services = null)
    {
        var fakes = new ApiFakes();
        var compute = new ComputeService(
            fakes.Instances, fakes.Flavors, fakes.Images, fakes.Hypervisor, fakes.Disks, FaultPoints.None,
            TimeProvider.System, new ComputeServiceOptions("compute1") { InstallationId = FakeDisks.InstallationId }, imageStore: fakes.Images);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(fakes.Logs);
        builder.Services.AddSingleton(compute);
        builder.Services.AddSingleton<IFlavorStore>(fakes.Flavors);
        builder.Services.AddSingleton<IImageCatalog>(fakes.Images);
        builder.Services.AddSingleton<IImageStore>(fakes.Images);
        builder.Services.AddSingleton<IImageCacheManager>(fakes.ImageCache);
        if (readiness is not null)
        {
            builder.Services.AddSingleton(readiness);
        }

        services?.Invoke(builder.Services);
        builder.Services.AddComputeApi(options);
        var app = builder.Build();
        app.MapComputeApi();
        extraEndpoints?.Invoke(app);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ApiHost(app, new Uri(address), fakes, compute);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await BodyOf(response), response);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var response = await Client.SendAsync(request);
        return (response.StatusCode, await BodyOf(response), response);
    }

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, string json) =>
        SendAsync(HttpMethod.Post, path, json);

    /// <summary>Creates a server from a fresh image and flavor 1 and waits for its build.</summary>
    public async Task<string> CreateServerAsync(string name)
    {
        var image = Fakes.Images.Add("cirros-" + name);
        var (status, body, _) = await PostAsync("/v2.1/servers", $$$"""{"server": {"name": "{{{name}}}", "imageRef": "{{{image.Id}}}", "flavorRef": "1"}}""");
        status.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        await Compute.WhenIdleAsync();
        return body.GetProperty("server").GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Compute.WhenIdleAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<JsonElement> BodyOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>The fakes (tests/Vireo.Testing/Fakes) behind one <see cref="ApiHost"/>: one store for instances, flavors and image metadata.</summary>
public sealed class ApiFakes
{
    /// <summary>What the guest CPU routes show for a running guest.</summary>
    public static readonly EffectiveGuestCpu Epyc = new(
        "host-model", "custom", "EPYC", "AMD",
        [new GuestCpuFeature("acpi", "require"), new GuestCpuFeature("vme", "disable")],
        new GuestVirtualization(true, "svm", "model EPYC has svm in libvirt's CPU map and the running CPU keeps it"),
        new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    public ApiFakes()
    {
        Images = new FakeImageStore(Store);
        Store.Put(new Flavor("1", "m1.tiny", 1, 512, 1, 0, 0, Flavor.NoExtraSpecs));
        Store.Put(new Flavor("2", "m1.small", 1, 2048, 20, 0, 0, Flavor.NoExtraSpecs));
        Hypervisor.Cpu = Epyc;
        Hypervisor.SnapshotFiles = Disks.SnapshotFiles;
    }

    public InMemoryStore Store { get; } = new();

    /// <summary>What <c>/v2.1/vireo-image-cache</c> reports.</summary>
    public FakeImageCacheManager ImageCache { get; } = new();

    public InMemoryStore Instances => Store;

    public InMemoryStore Flavors => Store;

    public FakeImageStore Images { get; }

    public FakeHypervisor Hypervisor { get; } = new();

    public FakeDisks Disks { get; } = new();

    public FakeConsoleLogs ConsoleLogs => Disks.ConsoleLogs;

    public ListLoggerProvider Logs { get; } = new();
}
