namespace Vireo.IntegrationTests.Service;

/// <summary>VIREO_FAULT, the one fault-injection variable: a malformed value stops `vireo serve` before it serves.</summary>
public sealed class FaultVariableServiceTests
{
    [Fact]
    public async Task A_malformed_fault_setting_exits_78_with_one_sentence_naming_it()
    {
        await using var service = new VireoService();

        var refused = await VireoService.RunCliAsync(
            ["serve", "--skip-host-check", "--config-file", service.ConfigPath], TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["VIREO_FAULT"] = "kill-at=nowhere" });

        refused.ExitCode.ShouldBe(78, refused.ToString());
        refused.Stderr.ShouldStartWith("vireo: VIREO_FAULT: kill-at='nowhere' is not a step; the steps are ");
        refused.Stderr.ShouldContain("write it as VIREO_FAULT=\"kill-at=create.guest-defined;reconcile-delay=45\"");
        refused.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        refused.Stderr.ShouldNotContain("   at ");
    }
}
