using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests;

/// <summary>`vireo cpu guest` on this machine: the nested report reads the real /sys/module and libvirtd's host-model.</summary>
public sealed class CpuGuestNestedTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("vireo-it-nested-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Cpu_guest_reports_the_hosts_nested_parameter_and_that_tcg_guests_get_svm_from_host_model_but_not_a_custom_vmx()
    {
        var hostModel = await CpuGuestAsync("virt_type = qemu");
        var custom = await CpuGuestAsync("virt_type = qemu\ncpu_mode = custom\ncpu_models = Nehalem\ncpu_model_extra_flags = vmx,pcid");

        // What this machine's /sys says, read here on its own.
        var module = new[] { "kvm_intel", "kvm_amd" }.FirstOrDefault(m => Directory.Exists($"/sys/module/{m}"));
        var file = module is null ? null : $"/sys/module/{module}/parameters/nested";
        var value = file is not null && File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        var parameter = hostModel.GetProperty("nested").GetProperty("host_parameter");
        parameter.GetProperty("module").GetString().ShouldBe(module);
        parameter.GetProperty("value").GetString().ShouldBe(value);
        parameter.GetProperty("state").GetString().ShouldBe(value is null ? "absent" : value is "Y" or "1" ? "enabled" : "disabled");

        // Under TCG host-model is EPYC here, whose svm TCG emulates (docs/host-notes.md).
        var nested = hostModel.GetProperty("nested");
        nested.GetProperty("exposed").GetBoolean().ShouldBeTrue(nested.ToString());
        nested.GetProperty("feature").GetString().ShouldBe("svm");
        nested.GetProperty("reason").GetString().ShouldBe("cpu_mode=host-model resolves to EPYC, which has svm");

        var refused = custom.GetProperty("nested");
        refused.GetProperty("exposed").GetBoolean().ShouldBeFalse(refused.ToString());
        refused.GetProperty("feature").GetString().ShouldBe("vmx");
        refused.GetProperty("change").GetString().ShouldBe("replace vmx with svm in cpu_model_extra_flags");
    }

    private async Task<System.Text.Json.JsonElement> CpuGuestAsync(string libvirt)
    {
        var config = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".conf");
        await File.WriteAllTextAsync(config, $"[libvirt]\n{libvirt}\n", TestContext.Current.CancellationToken);
        var result = await VireoService.RunCliAsync(["--config-file", config, "--json", "cpu", "guest"]);
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Json;
    }
}
