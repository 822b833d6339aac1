using Vireo.Cli.Output;
using Vireo.CpuModels;

namespace Vireo.Cli.Commands;

/// <summary>The <c>nested</c> part of <c>vireo cpu guest</c>: the host's nested parameter and whether vmx/svm reaches guests.</summary>
internal static class CpuNestedOutput
{
    public static CpuNestedDocument Json(NestedReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var parameter = report.HostParameter;
        return new CpuNestedDocument(
            HostParameter: new CpuNestedParameterDocument(
                parameter.Module,
                parameter.Path,
                parameter.Value,
                State: parameter.Absent ? "absent" : parameter.Enabled ? "enabled" : "disabled"),
            report.Exposed,
            report.Feature,
            report.Reason,
            report.Change);
    }

    public static void Print(Terminal terminal, NestedReport report)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(report);
        var verdict = report.Exposed switch
        {
            true => $"{report.Feature} exposed to guests",
            false => "vmx/svm not exposed to guests",
            null => "vmx/svm exposure unknown",
        };
        terminal.Out.WriteLine($"nested: {verdict}: {report.Reason}.");
        terminal.Out.WriteLine($"nested parameter: {report.HostParameter.Describe()}.");
        if (report.Change is { } change)
        {
            terminal.Out.WriteLine($"to give guests nested virtualization: {change}.");
        }
    }
}
