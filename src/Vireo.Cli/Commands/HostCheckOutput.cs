using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vireo.Core;
using Vireo.HostCheck;

namespace Vireo.Cli.Commands;

/// <summary>The report as people read it (virt-host-validate's layout, plus the fix) and as JSON.</summary>
public static class HostCheckOutput
{
    private static readonly HostCheckJsonContext JsonContext = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Details quote commands and messages; the output goes to terminals and files, never into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Status(CheckStatus status) => status.ToString().ToUpperInvariant();

    public static string Header(HostCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Config;
        var mode = CpuModes.NovaName(c.EffectiveCpuMode(report.Arch)) + (c.CpuMode is null ? " (Nova's default)" : "");
        return $"Vireo host check: virt_type={c.VirtTypeName}, cpu_mode={mode}, images_type={HostCheckConfig.Name(c.ImagesType)}, {report.Arch}, {c.ConnectionUri}";
    }

    /// <summary>One line per check as virt-host-validate prints them, the fix indented below each WARN/FAIL.</summary>
    public static string Lines(IEnumerable<Vireo.HostCheck.HostCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var list = checks.ToList();
        var width = list.Count == 0 ? 0 : list.Max(x => Label(x).Length);
        var text = new StringBuilder();
        foreach (var check in list)
        {
            text.Append("  ").Append(Label(check).PadRight(width)).Append(" : ").Append(Status(check.Status))
                .Append(" (").Append(check.Detail).Append(')').Append('\n');
            if (check.Fix is { } fix)
            {
                text.Append("      fix: ").Append(fix).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Text(HostCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(Header(report)).Append('\n');
        text.Append(Lines(report.Checks));
        text.Append('\n').Append(Recommendation(report.Recommendation));
        text.Append('\n').Append(Summary(report)).Append('\n');
        return text.ToString();
    }

    public static string Recommendation(HostRecommendation recommendation)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        var text = new StringBuilder();
        text.Append(recommendation.VirtType is null ? "Recommendation: none of the virt types works here\n" : "Recommendation for this host:\n");
        foreach (var line in recommendation.ConfigLines)
        {
            text.Append("  ").Append(line).Append('\n');
        }

        foreach (var reason in recommendation.Reasons)
        {
            text.Append("  - ").Append(reason).Append('\n');
        }

        return text.ToString();
    }

    public static string Summary(HostCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"Summary: {report.Passed} passed, {report.Warnings} warnings, {report.Failed} failed, {report.Skipped} skipped: exit {report.ExitCode}";
    }

    public static string Json(HostCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Config;
        var document = new HostCheckDocument(
            Config: new HostCheckDocumentConfig(
                VirtType: c.VirtTypeName,
                CpuMode: CpuModes.NovaName(c.EffectiveCpuMode(report.Arch)),
                CpuModeConfigured: c.CpuMode is not null,
                CpuModels: c.CpuModels,
                CpuModelExtraFlags: c.ExtraFlags.Select(f => (f.Policy == Vireo.Configuration.Options.CpuFeaturePolicy.Disable ? "-" : "+") + f.Name),
                ImagesType: HostCheckConfig.Name(c.ImagesType),
                ConnectionUri: c.ConnectionUri,
                InstancesPath: c.InstancesPath),
            Arch: report.Arch,
            Status: report.ExitCode switch { 0 => "pass", 1 => "warn", _ => "fail" },
            ExitCode: report.ExitCode,
            Summary: new HostCheckDocumentSummary(report.Passed, report.Warnings, report.Failed, report.Skipped),
            Checks: report.Checks.Select(x => new HostCheckDocumentCheck(x.Name, x.Title, x.Status.ToString().ToLowerInvariant(), x.Detail, x.Fix)),
            Recommendation: new HostCheckDocumentRecommendation(
                report.Recommendation.VirtType,
                report.Recommendation.CpuMode,
                report.Recommendation.CpuModels,
                report.Recommendation.Reasons,
                Config: report.Recommendation.ConfigLines));
        return JsonSerializer.Serialize(document, JsonContext.HostCheckDocument) + "\n";
    }

    private static string Label(Vireo.HostCheck.HostCheck check) => $"{check.Name,-24} Checking {check.Title}";
}

// The JSON document of `vireo host check --json`, its keys in this order (snake_case), written by generated code.
internal sealed record HostCheckDocument(
    HostCheckDocumentConfig Config,
    string Arch,
    string Status,
    int ExitCode,
    HostCheckDocumentSummary Summary,
    IEnumerable<HostCheckDocumentCheck> Checks,
    HostCheckDocumentRecommendation Recommendation);

internal sealed record HostCheckDocumentConfig(
    string VirtType,
    string CpuMode,
    bool CpuModeConfigured,
    IReadOnlyList<string> CpuModels,
    IEnumerable<string> CpuModelExtraFlags,
    string ImagesType,
    string ConnectionUri,
    string InstancesPath);

internal sealed record HostCheckDocumentSummary(int Passed, int Warnings, int Failed, int Skipped);

internal sealed record HostCheckDocumentCheck(string Name, string Title, string Status, string Detail, string? Fix);

internal sealed record HostCheckDocumentRecommendation(string? VirtType, string? CpuMode, string? CpuModels, IReadOnlyList<string> Reasons, IReadOnlyList<string> Config);

[JsonSerializable(typeof(HostCheckDocument))]
internal sealed partial class HostCheckJsonContext : JsonSerializerContext;
