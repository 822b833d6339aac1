using Microsoft.Extensions.Logging;
using Vireo.Api.Http;

namespace Vireo.IntegrationTests.Service;

/// <summary>The harness's 500 check matches the line the service's console logger really writes.</summary>
public sealed class ServerErrorLogLineTests
{
    [Fact]
    public void The_harness_recognises_a_500_line_as_vireo_serve_writes_it_and_nothing_else()
    {
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            // The same formatter and options as `vireo serve` (ServeCommand).
            using (var factory = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })))
            {
                var logger = factory.CreateLogger("Vireo.Api.Http.FaultBoundary");
                logger.Log(LogLevel.Error, new EventId(ApiEvents.ServerError, ApiEvents.ServerErrorName), "{Marker}: GET /v2.1/servers (req-1) answered 500", ApiEvents.ServerErrorName);
                logger.Log(LogLevel.Warning, new EventId(4402, "http.service_failure"), "GET /v2.1/servers (req-2) failed (Unavailable): libvirtd is down");
            }
        }
        finally
        {
            Console.SetOut(original);
        }

        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2, captured.ToString());
        lines.Count(VireoService.IsServerErrorLine).ShouldBe(1, captured.ToString());
        VireoService.IsServerErrorLine(lines.Single(line => line.Contains("req-1", StringComparison.Ordinal))).ShouldBeTrue();
    }
}
