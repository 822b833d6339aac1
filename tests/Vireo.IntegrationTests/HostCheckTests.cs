using System.Globalization;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests;

/// <summary>
/// `vireo host check` and `vireo serve`'s start-up check as an operator runs them (the published
/// assembly, a nova.conf), on this kind of host: /dev/kvm without vmx/svm, where KVM guests do not run.
/// </summary>
public sealed class HostCheckTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("vireo-it-hostcheck-").FullName;

    private static bool HostLacksHardwareVirtualization()
    {
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";
        var words = flags.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries);
        return !words.Contains("vmx") && !words.Contains("svm");
    }

    private string Config(string virtType, int port = 0)
    {
        var path = Path.Combine(root, $"{virtType}.conf");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            [DEFAULT]
            state_path = {root}/state
            osapi_compute_listen = 127.0.0.1
            osapi_compute_listen_port = {(port == 0 ? 18999 : port)}
            [libvirt]
            virt_type = {virtType}
            [database]
            connection = sqlite:///{root}/state/vireo.sqlite
            """));
        return path;
    }

    [Fact]
    public async Task Host_check_with_virt_type_kvm_exits_2_and_names_virt_type_qemu_as_the_fix()
    {
        Assert.SkipUnless(HostLacksHardwareVirtualization(), "this host has vmx or svm: KVM may well work here");

        var result = await VireoService.RunCliAsync(["--config-file", Config("kvm"), "host", "check"]);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stdout.ShouldContain("probe.acceleration");
        // The fix names virt_type = qemu whether QEMU refused KVM outright (it then also points at
        // QEMU's log, as in a chroot without a usable /dev/kvm) or the guest hung under kvm_pvm.
        result.Stdout.ShouldContain("set virt_type = qemu in [libvirt]");
        result.Stdout.ShouldContain("  virt_type = qemu\n");
    }

    [Fact]
    public async Task Host_check_json_with_virt_type_qemu_has_no_failure()
    {
        var result = await VireoService.RunCliAsync(["--config-file", Config("qemu"), "--json", "host", "check"]);

        result.ExitCode.ShouldBeLessThan(2, result.ToString());
        var json = result.Json;
        json.GetProperty("summary").GetProperty("failed").GetInt32().ShouldBe(0);
        json.GetProperty("exit_code").GetInt32().ShouldBe(result.ExitCode);
        var probe = json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "probe.acceleration");
        probe.GetProperty("status").GetString().ShouldBe("pass");
        json.GetProperty("recommendation").GetProperty("virt_type").GetString().ShouldNotBeNull();
    }

    [Fact]
    public async Task Serve_refuses_virt_type_kvm_here_with_exit_78_and_the_same_explanation()
    {
        Assert.SkipUnless(HostLacksHardwareVirtualization(), "this host has vmx or svm: KVM may well work here");

        var result = await VireoService.RunCliAsync(["serve", "--config-file", Config("kvm")], TimeSpan.FromMinutes(2));

        result.ExitCode.ShouldBe(78, result.ToString());
        result.Stderr.ShouldContain("this host cannot run the configuration (virt_type=kvm)");
        result.Stderr.ShouldContain("probe.acceleration");
        result.Stderr.ShouldContain("set virt_type = qemu");
        File.Exists(Path.Combine(root, "state", "vireo.sqlite")).ShouldBeFalse("serve must refuse before it touches its state");
    }

    [Fact]
    public async Task Serve_with_virt_type_qemu_passes_the_host_check_and_starts()
    {
        await using var service = new VireoService();

        await service.StartAsync();

        service.Log.ShouldNotContain("cannot run the configuration");
        service.HasExited.ShouldBeFalse();
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
