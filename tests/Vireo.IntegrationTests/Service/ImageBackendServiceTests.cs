using System.Diagnostics;
using System.Text.Json;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// images_type through the real service: each served type boots the test image to its guest agent
/// and its root disk is what the type promises (qemu-img info with an explicit format); lvm and rbd
/// are refused at start with one sentence and exit 78.
/// </summary>
public sealed class ImageBackendServiceTests
{
    private const string Deprecation = "[libvirt] images_type = raw is deprecated (Nova's old name of flat); the flat backend is used: write images_type = flat";

    [Theory(Timeout = 900_000)]
    [InlineData("qcow2", "images_type = qcow2", "qcow2")]
    [InlineData("flat", "images_type = flat", "raw")]
    [InlineData("raw", "images_type = raw", "raw")]
    [InlineData("default-no-cow", "images_type = default\n[DEFAULT]\nuse_cow_images = False", "raw")]
    public async Task Each_served_type_boots_the_test_image_to_its_agent_on_the_root_disk_it_promises(string label, string config, string format)
    {
        await using var service = new VireoService(config);
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        var name = $"ib-{label}-{Guid.NewGuid():N}"[..20];
        var id = await ServiceScenario.CreateServerAsync(service, name);
        try
        {
            await ServiceScenario.WaitForAgentAsync(id, TimeSpan.FromMinutes(5));

            var disk = Path.Combine(service.InstancesPath, id.ToString("D"), "disk");
            var info = await QemuImgInfoAsync(disk, format);
            info.GetProperty("format").GetString().ShouldBe(format);
            if (format == "qcow2")
            {
                info.GetProperty("backing-filename").GetString().ShouldStartWith(Path.Combine(service.InstancesPath, "_base") + "/");
                info.GetProperty("backing-filename-format").GetString().ShouldBe("raw");
            }
            else
            {
                info.TryGetProperty("backing-filename", out _).ShouldBeFalse(info.ToString());
            }

            var warnings = service.Log.Split('\n').Count(line => line.Contains(Deprecation, StringComparison.Ordinal));
            warnings.ShouldBe(label == "raw" ? 1 : 0, service.Log);
            service.Log.ShouldContain($"instance disks are made by the {(format == "qcow2" ? "qcow2" : "flat")} image backend");
        }
        finally
        {
            await service.CliAsync("server", "delete", id.ToString(), "--wait");
        }

        ServiceScenario.ShouldLeaveNothing(service, id);
    }

    [Theory(Timeout = 300_000)]
    [InlineData("rbd\nimages_rbd_ceph_conf = /nonexistent/ceph.conf\nrbd_secret_uuid = 457eb676-33da-42ec-9a8c-9293d545c337", "[libvirt] images_type = rbd cannot be used: [libvirt] images_rbd_ceph_conf = /nonexistent/ceph.conf does not exist; ")]
    [InlineData("lvm\nimages_volume_group = nova-vg", "[libvirt] images_type = lvm cannot be used: ")]
    public async Task Lvm_and_rbd_are_refused_at_start_with_one_sentence_and_exit_78(string type, string sentence)
    {
        await using var service = new VireoService("images_type = " + type);

        var serve = await VireoService.RunCliAsync(["--config-file", service.ConfigPath, "serve"], TimeSpan.FromMinutes(3));
        var check = await VireoService.RunCliAsync(["--config-file", service.ConfigPath, "config", "check"], TimeSpan.FromMinutes(3));

        serve.ExitCode.ShouldBe(78, serve.ToString());
        var line = serve.Stderr.Split('\n').Where(l => l.Contains("cannot be used", StringComparison.Ordinal)).ShouldHaveSingleItem().Trim();
        line.ShouldStartWith("vireo: " + sentence);
        line.ShouldEndWith("set [libvirt] images_type = qcow2 or flat");
        check.ExitCode.ShouldBe(78, check.ToString());
        check.Stderr.ShouldContain("error: " + line["vireo: ".Length..]);
    }

    private static async Task<JsonElement> QemuImgInfoAsync(string path, string format)
    {
        var info = new ProcessStartInfo("qemu-img") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "info", "-f", format, "--output=json", "-U", path })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
