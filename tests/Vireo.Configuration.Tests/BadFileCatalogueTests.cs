using System.Text.RegularExpressions;
using Vireo.Configuration.Loading;

namespace Vireo.Configuration.Tests;

/// <summary>
/// Each fixture declares, in trailing comments, every diagnostic it must produce:
/// <c># expect: error 7 rule.cpu-models-required [libvirt] cpu_mode</c> (severity, line, code, and the
/// option when there is one). The load must report exactly those, all at once.
/// </summary>
public partial class BadFileCatalogueTests
{
    public static TheoryData<string> BadFiles() => Files("bad");

    public static TheoryData<string> GoodFiles() => Files("good");

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_is_rejected_with_every_expected_diagnostic(string relative)
    {
        var result = Check(relative);
        result.Errors.ShouldNotBeEmpty();
        result.Options.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Good_file_loads_with_exactly_the_expected_warnings(string relative)
    {
        var result = Check(relative);
        result.Errors.ShouldBeEmpty();
        result.Options.ShouldNotBeNull();
    }

    [Fact]
    public void Every_error_names_its_line_and_every_option_error_its_option()
    {
        foreach (var relative in BadFiles().Select(row => (string)row.Data))
        {
            foreach (var error in Fixture.Load(relative).Errors)
            {
                error.Location.ShouldNotBeNull(error.ToString());
                error.Location.Line.ShouldBeGreaterThan(0);
                if (!error.Code.StartsWith("syntax.", StringComparison.Ordinal))
                {
                    error.Message.ShouldContain($"[{error.Group}] ", Case.Sensitive, error.ToString());
                }
            }
        }
    }

    internal static ConfigurationResult Check(string relative)
    {
        var text = File.ReadAllText(Fixture.Path_(relative));
        var expected = ExpectLine().Matches(text).Select(m => m.Groups[1].Value.Trim()).Order(StringComparer.Ordinal).ToList();
        var result = NovaConfig.Load(relative, text);
        var actual = result.Errors.Concat(result.Warnings).Select(Format).Order(StringComparer.Ordinal).ToList();
        actual.ShouldBe(expected, $"{relative}:\n{Fixture.Describe(result)}");
        return result;
    }

    private static string Format(ConfigDiagnostic d) =>
        $"{d.Severity.ToString().ToLowerInvariant()} {d.Location?.Line} {d.Code}{(d.Group is null ? "" : $" [{d.Group}] {d.Key}")}";

    private static TheoryData<string> Files(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Fixture.Path_(folder), "*.conf").Order(StringComparer.Ordinal))
        {
            data.Add($"{folder}/{Path.GetFileName(file)}");
        }
        return data;
    }

    [GeneratedRegex(@"^# expect: (.+)$", RegexOptions.Multiline)]
    private static partial Regex ExpectLine();
}
