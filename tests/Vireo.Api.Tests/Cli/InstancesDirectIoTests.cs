using Vireo.Cli.Serve;
using Vireo.Storage.HostFacts;

namespace Vireo.Api.Tests.Cli;

/// <summary>serve reads instances_path's O_DIRECT fact once: the host check's, or one probe when the check gave none.</summary>
public sealed class InstancesDirectIoTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_host_checks_fact_is_used_and_nothing_is_probed_again(bool directIo)
    {
        var probes = 0;

        InstancesDirectIo.Resolve(new DirectoryFacts("/var/lib/nova/instances", true, true, directIo), () => { probes++; return !directIo; }).ShouldBe(directIo);

        probes.ShouldBe(0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Without_the_host_checks_fact_the_directory_is_probed_once(bool probed)
    {
        var probes = 0;
        bool Probe() { probes++; return probed; }

        InstancesDirectIo.Resolve(null, Probe).ShouldBe(probed);
        InstancesDirectIo.Resolve(new DirectoryFacts("/var/lib/nova/instances", true, false, null, Error: "read-only"), Probe).ShouldBe(probed);

        probes.ShouldBe(2);
    }
}
