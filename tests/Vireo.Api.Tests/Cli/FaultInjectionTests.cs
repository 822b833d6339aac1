using Vireo.Cli.Serve;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Api.Tests.Cli;

/// <summary>VIREO_FAULT: every fault setting in one variable, parsed in one place.</summary>
public sealed class FaultInjectionTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_or_blank_arms_nothing(string? value)
    {
        var faults = FaultInjection.Parse(value);

        faults.IsArmed.ShouldBeFalse();
        faults.KillAt.ShouldBeNull();
        faults.ReconcileDelay.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void Both_settings_are_read_from_one_value()
    {
        var faults = FaultInjection.Parse(" kill-at=create.guest-defined ; reconcile-delay=45;");

        faults.KillAt.ShouldBe(FaultSteps.CreateGuestDefined);
        faults.ReconcileDelay.ShouldBe(TimeSpan.FromSeconds(45));
        faults.IsArmed.ShouldBeTrue();
    }

    [Fact]
    public void A_kill_step_arms_its_fault_point_and_no_other()
    {
        var faults = FaultInjection.Parse("kill-at=" + FaultSteps.CreateGuestDefined);

        faults.ReconcileDelay.ShouldBe(TimeSpan.Zero);
        faults.FaultPoints().ShouldNotBeSameAs(FaultPoints.None);
        FaultInjection.Parse("reconcile-delay=1").FaultPoints().ShouldBeSameAs(FaultPoints.None);
    }

    [Theory]
    [InlineData("kill-at", "'kill-at' is not key=value")]
    [InlineData("=3", "'=3' is not key=value")]
    [InlineData("kill-at=nowhere", "kill-at='nowhere' is not a step; the steps are ")]
    [InlineData("reconcile-delay=soon", "reconcile-delay='soon' is not a number of seconds from 0 to 3600")]
    [InlineData("reconcile-delay=-1", "reconcile-delay='-1' is not a number of seconds")]
    [InlineData("reconcile-delay=1;reconcile-delay=2", "'reconcile-delay' is given twice")]
    [InlineData("kill_at=create.guest-defined", "'kill_at' is not a setting; the settings are kill-at and reconcile-delay")]
    public void A_malformed_value_is_a_configuration_error_naming_it_and_the_form(string value, string problem)
    {
        var e = Should.Throw<VireoException>(() => FaultInjection.Parse(value));

        e.Kind.ShouldBe(ErrorKind.Configuration);
        e.Message.ShouldStartWith("VIREO_FAULT: ");
        e.Message.ShouldContain(problem);
        e.Message.ShouldContain("write it as VIREO_FAULT=\"kill-at=create.guest-defined;reconcile-delay=45\"");
    }
}
