using System.Xml.Linq;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// <c>[libvirt] cpu_models</c> through the real service: names are spelled as the libvirtd it is
/// connected to spells them (Nova's _get_cpu_model_mapping over getCPUModelNames), and the service
/// reads no CPU map of its own: it runs in a mount namespace where libvirt's installed map is an
/// empty directory, while libvirtd, outside, keeps its own. The start-up host check maps a name in
/// any case as the driver does, so a lower-case name starts the service; an unknown name stops it at
/// the check, and the driver's own refusal is reached with the check skipped
/// (<see cref="Vireo.Cli.Serve.ServeCommand.SkipHostCheckVariable"/>).
/// </summary>
public sealed class DaemonCpuModelServiceTests
{
    private const string InstalledCpuMap = "/usr/share/libvirt/cpu_map";

    /// <summary>unshare(1) gives the service its own mount namespace (private propagation) with an empty tmpfs over the map, then execs it.</summary>
    private static readonly string[] WithoutLocalCpuMap =
    [
        "/usr/bin/unshare", "--mount", "--propagation", "private", "--",
        "/bin/sh", "-c", "mount -t tmpfs -o size=1M,mode=0755 vireo-no-cpu-map \"$1\" && [ -z \"$(ls -A \"$1\")\" ] && shift && exec \"$@\"", "sh", InstalledCpuMap,
    ];

    private static readonly Dictionary<string, string> SkipHostCheck = new() { [Vireo.Cli.Serve.ServeCommand.SkipHostCheckVariable] = "1" };

    [Fact]
    public async Task A_lower_case_cpu_model_is_defined_with_the_daemons_spelling_with_no_cpu_map_on_the_service_side()
    {
        await using var service = new VireoService("cpu_mode = custom\ncpu_models = westmere");
        await service.StartAsync(launcher: WithoutLocalCpuMap);
        await ServiceScenario.ImportTestImageAsync(service);
        var name = "dcpu-" + Guid.NewGuid().ToString("N")[..8];

        var id = await ServiceScenario.CreateServerAsync(service, name);

        using (var connection = Connection.Open("qemu:///system"))
        using (var domain = connection.LookupDomainByUuid(id))
        {
            var model = XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)).Element("cpu")?.Element("model");
            model.ShouldNotBeNull();
            model.Value.ShouldBe("Westmere", "libvirt's spelling, read from libvirtd");
        }

        File.Exists(Path.Combine(InstalledCpuMap, "index.xml")).ShouldBeTrue("the map is hidden from the service only");
        var delete = await service.CliAsync("server", "delete", name, "--wait");
        delete.ExitCode.ShouldBe(0, delete.ToString());
    }

    [Fact]
    public async Task An_unknown_cpu_model_stops_vireo_serve_at_its_host_check_naming_the_option_and_the_value()
    {
        await using var service = new VireoService("cpu_mode = custom\ncpu_models = westmare");

        var e = await Should.ThrowAsync<InvalidOperationException>(() => service.StartAsync(launcher: WithoutLocalCpuMap));

        e.Message.ShouldContain("exited with 78");
        e.Message.ShouldContain("cpu_models names westmare, which libvirt does not know for x86_64");
    }

    [Fact]
    public async Task An_unknown_cpu_model_is_refused_by_the_driver_naming_the_option_the_value_and_the_daemons_models()
    {
        await using var service = new VireoService("cpu_mode = custom\ncpu_models = westmare");
        await service.StartAsync(SkipHostCheck, launcher: WithoutLocalCpuMap);
        await ServiceScenario.ImportTestImageAsync(service);
        var name = "dcpu-" + Guid.NewGuid().ToString("N")[..8];

        var id = await ServiceScenario.CreateServerAsync(service, name, wait: false);
        await ServiceScenario.WaitForStatusAsync(service, name, "ERROR", TimeSpan.FromMinutes(3));

        var (_, _, fault) = await ServiceScenario.ShowAsync(service, name);
        fault.ShouldNotBeNull();
        fault.ShouldContain("[libvirt] cpu_models names CPU model 'westmare'");
        fault.ShouldContain("libvirt at qemu:///system");
        fault.ShouldContain("Westmere");
        using (var connection = Connection.Open("qemu:///system"))
        {
            connection.TryLookupDomainByUuid(id).ShouldBeNull("nothing is defined for a model libvirtd does not know");
        }

        var delete = await service.CliAsync("server", "delete", name, "--wait");
        delete.ExitCode.ShouldBe(0, delete.ToString());
    }
}
