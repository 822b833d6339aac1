using System.Text.Json;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests.Images;

/// <summary>
/// The test image in every format operators upload (raw, qcow2, QED, VMDK monolithicSparse and
/// streamOptimized) imports through the CLI and boots to a guest-agent answer on the real service,
/// with force_raw_images on (bases converted to raw) and off (bases kept in their format, read by
/// QEMU through the overlay's explicit backing format).
/// </summary>
public sealed class ImageFormatBootTests
{
    public static TheoryData<bool> ForceRawImages => [true, false];

    [Theory]
    [MemberData(nameof(ForceRawImages))]
    public async Task Every_seed_format_imports_and_boots_to_a_guest_agent_answer(bool forceRaw)
    {
        var variants = TestImageVariants.Bootable;
        await using var service = new VireoService($"[DEFAULT]\nforce_raw_images = {forceRaw}\n");
        await service.StartAsync();
        var suffix = forceRaw ? "raw-on" : "raw-off";

        var imageIds = new Dictionary<string, string>();
        foreach (var variant in variants)
        {
            var import = await service.CliAsync("image", "import", $"img-{variant.Name}", "--file", variant.Path,
                "--disk-format", variant.DiskFormat, "--property", "hw_qemu_guest_agent=yes");
            import.ExitCode.ShouldBe(0, $"{variant.Name}: {import}");
            import.Json.GetProperty("disk_format").GetString().ShouldBe(variant.DiskFormat);
            import.Json.GetProperty("os_hash_algo").GetString().ShouldBe("sha256");
            import.Json.GetProperty("os_hash_value").GetString().ShouldBe(Sha256Of(variant.Path));
            import.Json.GetProperty("checksum").GetString().ShouldBe(Md5Of(variant.Path));
            imageIds[variant.Name] = import.Json.GetProperty("id").GetString()!;
        }

        // All at once, as a lab bringing up one guest per image would.
        var creates = await Task.WhenAll(variants.Select(variant => service.CliAsync(
            "server", "create", $"fmt-{variant.Name}-{suffix}", "--image", $"img-{variant.Name}", "--flavor", "m1.tiny", "--wait", "--timeout", "600")));
        for (var i = 0; i < variants.Count; i++)
        {
            creates[i].ExitCode.ShouldBe(0, $"{variants[i].Name}: {creates[i]}");
            creates[i].Json.GetProperty("status").GetString().ShouldBe("ACTIVE", $"{variants[i].Name}: {creates[i]}");
        }

        var pings = await Task.WhenAll(variants.Select(variant => service.CliAsync("server", "ping", $"fmt-{variant.Name}-{suffix}", "--timeout", "480")));
        for (var i = 0; i < variants.Count; i++)
        {
            pings[i].ExitCode.ShouldBe(0, $"{variants[i].Name}: {pings[i]}; service log: {service.Log}");
            pings[i].Json.GetProperty("agent").GetString().ShouldBe("ok");
        }

        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            var id = creates[i].Json.GetProperty("id").GetString()!;
            var disk = Path.Combine(service.InstancesPath, id, "disk");
            var overlay = QemuImgInfo(disk);
            var backingFormat = overlay.GetProperty("backing-filename-format").GetString();
            backingFormat.ShouldBe(forceRaw ? "raw" : variant.QemuDriver, variant.Name);
            if (forceRaw && variant.DiskFormat != "raw")
            {
                service.Log.ShouldContain($"base image cache: converting image 'img-{variant.Name}' ({imageIds[variant.Name]}) from {variant.DiskFormat} to raw: 100%");
            }
        }

        foreach (var variant in variants)
        {
            var delete = await service.CliAsync("server", "delete", $"fmt-{variant.Name}-{suffix}", "--wait", "--timeout", "300");
            delete.ExitCode.ShouldBe(0, delete.ToString());
        }

        service.OwnedDomains().ShouldBeEmpty();
    }

    [Fact]
    public async Task Image_asking_for_ide_disks_boots_with_its_root_disk_on_ide()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        var import = await service.CliAsync("image", "import", "on-ide", "--file", TestImage.Qcow2Path, "--disk-format", "qcow2",
            "--property", "hw_qemu_guest_agent=yes", "--property", "hw_disk_bus=ide", "--property", "hw_machine_type=pc");
        import.ExitCode.ShouldBe(0, import.ToString());

        var create = await service.CliAsync("server", "create", "ide-guest", "--image", "on-ide", "--flavor", "m1.tiny", "--wait", "--timeout", "600");
        create.ExitCode.ShouldBe(0, create.ToString());
        var ping = await service.CliAsync("server", "ping", "ide-guest", "--timeout", "480");

        ping.ExitCode.ShouldBe(0, $"{ping}; service log: {service.Log}");
        var id = Guid.Parse(create.Json.GetProperty("id").GetString()!);
        using var connection = Vireo.Libvirt.Connection.Open("qemu:///system");
        using var domain = connection.LookupDomainByUuid(id);
        var live = Vireo.DomainXml.DomainXmlReader.Parse(domain.GetXmlDescription());
        live.Os.Machine.ShouldNotBeNull().ShouldStartWith("pc");
        var root = live.Devices.Disks.ShouldHaveSingleItem();
        root.Bus.ShouldBe(Vireo.DomainXml.DiskBus.Ide);
        root.TargetDev.ShouldBe("hda");
    }

    [Fact]
    public async Task Iso_image_boots_as_a_cdrom_and_runs_its_boot_code()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        var nonce = Guid.NewGuid().ToString("N")[..16];
        var iso = Path.Combine(service.Root, "probe.iso");
        await File.WriteAllBytesAsync(iso, BootableIso.Build(Vireo.HostCheck.ProbeBootSector.Build(nonce)), TestContext.Current.CancellationToken);
        var import = await service.CliAsync("image", "import", "probe-iso", "--file", iso, "--disk-format", "iso");
        import.ExitCode.ShouldBe(0, import.ToString());

        var create = await service.CliAsync("server", "create", "from-iso", "--image", "probe-iso", "--flavor", "m1.tiny", "--wait", "--timeout", "600");

        create.ExitCode.ShouldBe(0, create.ToString());
        var marker = Vireo.HostCheck.ProbeBootSector.MarkerLine(nonce);
        await BootTestImageTests.WaitFor(
            () => service.CliAsync("server", "console", "from-iso").Result.Stdout.Contains(marker, StringComparison.Ordinal),
            TimeSpan.FromMinutes(3), () => $"the ISO's boot code never printed '{marker}' on the console");
        var id = Guid.Parse(create.Json.GetProperty("id").GetString()!);
        using var connection = Vireo.Libvirt.Connection.Open("qemu:///system");
        using var domain = connection.LookupDomainByUuid(id);
        var live = Vireo.DomainXml.DomainXmlReader.Parse(domain.GetXmlDescription());
        live.Devices.Disks.ShouldHaveSingleItem().Device.ShouldBe(Vireo.DomainXml.DiskDevice.Cdrom);
    }

    internal static JsonElement QemuImgInfo(string path)
    {
        var result = Processes.Run("qemu-img", ["info", "-U", "-f", "qcow2", "--output=json", path], TimeSpan.FromMinutes(1));
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    private static string Md5Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(stream));
    }

    internal static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
