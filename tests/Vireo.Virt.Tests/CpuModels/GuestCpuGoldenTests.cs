using System.Text.Json;
using System.Xml.Linq;
using Vireo.DomainXml;
using Vireo.Virt.Tests.TestSupport;

namespace Vireo.Virt.Tests.CpuModels;

/// <summary>
/// The guest <c>&lt;cpu&gt;</c> Vireo writes equals the one Nova writes for the same [libvirt]
/// settings. The files under Golden/cpu were written by Nova 26.2.2's own code from cases.json
/// (generate-with-nova.py), so they are not regenerated from Vireo's output.
/// </summary>
public sealed class GuestCpuGoldenTests
{
    public static TheoryData<string> Files => [.. Cases().Select(c => c.File)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Guest_cpu_is_the_xml_nova_writes_for_the_same_settings(string file)
    {
        var novas = Golden.Read($"cpu/{file}");
        var ours = CpuXml.Format(Build(Cases().Single(c => c.File == file)));

        XmlSemantic.Canonical(ours).ShouldBe(XmlSemantic.Canonical(novas), $"differs from Nova's {file}");
    }

    [Fact]
    public void Every_mode_has_a_nova_golden_with_and_without_extra_flags()
    {
        var cases = Cases();

        foreach (var mode in new string?[] { null, "host-model", "host-passthrough", "custom", "none" })
        {
            cases.ShouldContain(c => c.CpuMode == mode, $"no case for cpu_mode={mode ?? "(unset)"}");
        }

        foreach (var mode in new[] { "host-model", "host-passthrough", "custom", "none" })
        {
            cases.ShouldContain(c => c.CpuMode == mode && c.ExtraFlags.Count > 0, $"no case for cpu_mode={mode} with extra flags");
        }
    }

    private static CpuConfig Build(GoldenCpuCase c)
    {
        var settings = (c.VirtType == "kvm" ? Specs.Kvm : Specs.Qemu) with
        {
            CpuMode = c.CpuMode switch
            {
                null => null,
                "host-model" => CpuMode.HostModel,
                "host-passthrough" => CpuMode.HostPassthrough,
                "custom" => CpuMode.Custom,
                _ => CpuMode.None,
            },
            CpuModels = c.CpuModels,
            CpuExtraFlags = c.ExtraFlags,
        };
        return GuestCpuPolicy.Build(settings, c.Vcpus, CpuFactValues.For(settings));
    }

    private static List<GoldenCpuCase> Cases() =>
        JsonSerializer.Deserialize<List<GoldenCpuCase>>(Golden.Read("cpu/cases.json"), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
        ?? throw new InvalidOperationException("Golden/cpu/cases.json is empty");

    private sealed record GoldenCpuCase(string File, string VirtType, string? CpuMode, List<string> CpuModels, List<string> ExtraFlags, int Vcpus);
}
