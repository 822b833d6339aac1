using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

public sealed class FaultPointsTests
{
    [Fact]
    public void Step_names_are_unique_and_say_create_or_delete_first()
    {
        FaultSteps.All.Distinct(StringComparer.Ordinal).Count().ShouldBe(FaultSteps.All.Count);
        FaultSteps.Create.ShouldAllBe(step => step.StartsWith("create.", StringComparison.Ordinal));
        FaultSteps.Delete.ShouldAllBe(step => step.StartsWith("delete.", StringComparison.Ordinal));
    }

    [Fact]
    public void An_armed_step_dies_there_and_nowhere_else()
    {
        var died = new List<string>();
        var faults = FaultPoints.At(FaultSteps.CreateGuestDefined, () => died.Add("died"));

        foreach (var step in FaultSteps.All)
        {
            faults.Reached(step);
        }

        died.ShouldBe(["died"]);
    }

    [Fact]
    public void An_empty_setting_arms_nothing_and_an_unknown_step_is_refused_with_the_known_ones()
    {
        FaultPoints.FromSetting("  ", () => throw new InvalidOperationException()).ShouldBeSameAs(FaultPoints.None);
        FaultPoints.FromSetting(null, () => throw new InvalidOperationException()).ShouldBeSameAs(FaultPoints.None);

        var refusal = Should.Throw<VireoException>(() => FaultPoints.FromSetting("create.nothing", () => { }));

        refusal.Kind.ShouldBe(ErrorKind.InvalidInput);
        refusal.Message.ShouldContain("'create.nothing'");
        refusal.Message.ShouldContain(FaultSteps.CreateDiskMade);
    }
}
