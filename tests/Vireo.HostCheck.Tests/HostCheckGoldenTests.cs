
namespace Vireo.HostCheck.Tests;

public sealed class HostCheckGoldenTests
{
    public static TheoryData<string> Cases => [.. HostCheckCases.All.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Report_text_matches_its_golden_file(string name)
    {
        TextGolden.AssertMatches($"host-check/{name}.txt", HostCheckOutput.Text(HostCheckCases.Evaluate(name)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Report_json_matches_its_golden_file(string name)
    {
        TextGolden.AssertMatches($"host-check/{name}.json", HostCheckOutput.Json(HostCheckCases.Evaluate(name)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_warning_and_failure_has_one_fix_sentence_and_nothing_else_has_one(string name)
    {
        foreach (var check in HostCheckCases.Evaluate(name).Checks)
        {
            if (check.Status is CheckStatus.Warn or CheckStatus.Fail)
            {
                check.Fix.ShouldNotBeNullOrWhiteSpace(check.Name);
                check.Fix.ShouldNotContain(". ", Case.Sensitive, $"{check.Name}: one sentence");
            }
            else
            {
                check.Fix.ShouldBeNull(check.Name);
            }

            check.Detail.ShouldNotBeNullOrWhiteSpace(check.Name);
        }
    }

    [Fact]
    public void Every_fixture_has_a_golden_case()
    {
        HostCheckCases.All.Values.Select(c => c.Fixture).Distinct().Order(StringComparer.Ordinal).ShouldBe(FixtureHost.All);
    }
}
