
namespace Vireo.HostCheck.Tests;

public sealed class ProbePlanTests
{
    private static HostFacts With(HostFacts facts, params ProbeResult[] probes) =>
        facts with { Probes = probes.ToDictionary(p => p.VirtType, StringComparer.Ordinal) };

    private static ProbeResult Result(string type, ProbeOutcome outcome) => new(type, outcome, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    [Fact]
    public void Kvm_configured_probes_kvm_and_then_qemu_only_when_kvm_failed()
    {
        var facts = FixtureHost.Load("this-machine", HostCheckCases.Kvm);

        ProbePlan.Next(With(facts), HostCheckCases.Kvm).ShouldBe("kvm");
        ProbePlan.Next(With(facts, Result("kvm", ProbeOutcome.TimedOut)), HostCheckCases.Kvm).ShouldBe("qemu");
        ProbePlan.Next(With(facts, Result("kvm", ProbeOutcome.TimedOut), Result("qemu", ProbeOutcome.Passed)), HostCheckCases.Kvm).ShouldBeNull();
        ProbePlan.Next(With(facts, Result("kvm", ProbeOutcome.Passed)), HostCheckCases.Kvm).ShouldBeNull();
    }

    [Fact]
    public void Qemu_configured_probes_kvm_too_only_where_every_kvm_prerequisite_holds()
    {
        var here = FixtureHost.Load("this-machine", HostCheckCases.Qemu);
        var intel = FixtureHost.Load("intel-vmx", HostCheckCases.Qemu);

        ProbePlan.Next(With(here), HostCheckCases.Qemu).ShouldBe("qemu");
        ProbePlan.Next(With(here, Result("qemu", ProbeOutcome.Passed)), HostCheckCases.Qemu).ShouldBeNull();
        ProbePlan.Next(With(intel, Result("qemu", ProbeOutcome.Passed)), HostCheckCases.Qemu).ShouldBe("kvm");
    }
}
