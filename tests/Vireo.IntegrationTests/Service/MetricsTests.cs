using System.Globalization;
using System.Text.RegularExpressions;

namespace Vireo.IntegrationTests.Service;

/// <summary>`/metrics` of the real service: Prometheus text with the operation, image, reconcile, orphan and reconnect series.</summary>
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_count_a_create_and_a_delete_the_image_bytes_stored_and_show_every_series()
    {
        await using var service = new VireoService();
        await service.StartAsync();

        // Before anything happened every known series is there at zero.
        var atStart = await ScrapeAsync(service);
        Value(atStart, "vireo_operations_total", ("kind", "create"), ("result", "success")).ShouldBe(0, atStart);
        Value(atStart, "vireo_image_stored_bytes_total").ShouldBe(0, atStart);
        Value(atStart, "vireo_image_cache_removed_total", ("kind", "base")).ShouldBe(0, atStart);

        await ServiceScenario.ImportTestImageAsync(service);
        var id = await ServiceScenario.CreateServerAsync(service, "metrics1");
        var delete = await service.CliAsync("server", "delete", "metrics1", "--wait");
        delete.ExitCode.ShouldBe(0, delete.ToString());
        ServiceScenario.ShouldLeaveNothing(service, id);

        // The delete's completion is recorded when its background run ends; the exporter may cache a scrape briefly.
        string text = string.Empty;
        await BootTestImageTests.WaitFor(() =>
        {
            text = ScrapeAsync(service).GetAwaiter().GetResult();
            return Value(text, "vireo_operations_total", ("kind", "delete"), ("result", "success")) >= 1;
        }, TimeSpan.FromMinutes(1), () => $"the delete was never counted: {text}");

        Value(text, "vireo_operations_total", ("kind", "create"), ("result", "success")).ShouldBe(1, text);
        Value(text, "vireo_operations_total", ("kind", "delete"), ("result", "success")).ShouldBe(1, text);
        Value(text, "vireo_operations_total", ("kind", "create"), ("result", "error")).ShouldBe(0, text);
        Value(text, "vireo_operation_duration_seconds_count", ("kind", "create"), ("result", "success")).ShouldBe(1, text);
        Value(text, "vireo_operation_duration_seconds_sum", ("kind", "create"), ("result", "success")).ShouldBeGreaterThan(0, text);
        text.ShouldContain("vireo_operation_duration_seconds_bucket{");
        Value(text, "vireo_image_stored_bytes_total").ShouldBe(new FileInfo(TestImage.Qcow2Path).Length, text);
        text.ShouldContain("vireo_reconcile_actions_total{");
        Value(text, "vireo_reconcile_actions_total", ("action", "finish_delete"), ("outcome", "done")).ShouldBe(0, text);
        Value(text, "vireo_orphans_quarantined").ShouldBe(0, text);
        Value(text, "vireo_libvirt_reconnects_total").ShouldBe(0, text);
        text.ShouldContain("# TYPE vireo_operations_total counter");
    }

    [Fact]
    public async Task A_refused_operation_is_counted_as_refused()
    {
        await using var service = new VireoService();
        await service.StartAsync();

        // Straight to the API: the client would look the name up first and never send the delete.
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) })
        using (var missing = await http.DeleteAsync(new Uri($"http://127.0.0.1:{service.Port}/v2.1/servers/{Guid.NewGuid()}"), TestContext.Current.CancellationToken))
        {
            ((int)missing.StatusCode).ShouldBe(404, await missing.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        string text = string.Empty;
        await BootTestImageTests.WaitFor(() =>
        {
            text = ScrapeAsync(service).GetAwaiter().GetResult();
            return Value(text, "vireo_operations_total", ("kind", "delete"), ("result", "refused")) >= 1;
        }, TimeSpan.FromMinutes(1), () => $"the refused delete was never counted: {text}");
        Value(text, "vireo_operations_total", ("kind", "delete"), ("result", "refused")).ShouldBe(1, text);
    }

    internal static async Task<string> ScrapeAsync(VireoService service)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{service.Port}/metrics"));
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET /metrics answered {(int)response.StatusCode}: {body}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/plain");
        return body;
    }

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels include <paramref name="labels"/>; -1 when there is none.</summary>
    internal static double Value(string text, string name, params (string Key, string Value)[] labels)
    {
        var matches = text.Split('\n')
            .Select(line => Sample().Match(line.Trim()))
            .Where(m => m.Success && m.Groups["name"].Value == name)
            .Where(m => labels.All(l => m.Groups["labels"].Value.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal)))
            .ToList();
        return matches.Count switch
        {
            0 => -1,
            1 => double.Parse(matches[0].Groups["value"].Value, CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"{matches.Count} samples of {name} match {string.Join(",", labels)}"),
        };
    }

    // name{labels} value [timestamp]
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex Sample();
}
