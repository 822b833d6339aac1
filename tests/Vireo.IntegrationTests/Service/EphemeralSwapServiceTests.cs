using System.Text;
using System.Text.Json;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Service;

/// <summary>A flavor's ephemeral and swap disks, seen from inside the guest through its agent (guest-file-read of the block devices, guest-exec of swapon).</summary>
public sealed class EphemeralSwapServiceTests
{
    [Fact]
    public async Task A_flavor_with_1_GiB_ephemeral_and_64_MiB_swap_boots_with_vdb_ext4_labelled_ephemeral0_and_vdc_swap()
    {
        // A second [DEFAULT] section: the service's file puts this text after its own [libvirt] header.
        await using var service = new VireoService("[DEFAULT]\ndefault_ephemeral_format = ext4\n[libvirt]");
        await service.StartAsync();
        await ServiceScenario.ImportTestImageAsync(service);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flavorName = "eph-" + suffix;
        var flavor = await service.CliAsync("flavor", "create", flavorName, "--vcpus", "1", "--ram", "128", "--disk", "1", "--ephemeral", "1", "--swap", "64");
        flavor.ExitCode.ShouldBe(0, flavor.ToString());
        flavor.Json.GetProperty("OS-FLV-EXT-DATA:ephemeral").GetInt32().ShouldBe(1);
        flavor.Json.GetProperty("swap").GetInt32().ShouldBe(64);

        var name = "eph-" + suffix;
        var create = await service.CliAsync("server", "create", name, "--image", "vireo-test", "--flavor", flavorName, "--wait", "--timeout", "300");
        create.ExitCode.ShouldBe(0, create.ToString());
        var id = Guid.Parse(create.Json.GetProperty("id").GetString()!);
        try
        {
            var directory = Path.Combine(service.InstancesPath, id.ToString("D"));
            File.Exists(Path.Combine(directory, "disk.local")).ShouldBeTrue();
            File.Exists(Path.Combine(directory, "disk.swap")).ShouldBeTrue();
            File.Exists(Path.Combine(service.InstancesPath, "_base", "ephemeral_1_40d1d2c")).ShouldBeTrue();
            File.Exists(Path.Combine(service.InstancesPath, "_base", "swap_64")).ShouldBeTrue();

            await ServiceScenario.WaitForAgentAsync(id, TimeSpan.FromMinutes(4));
            using var connection = Connection.Open("qemu:///system");
            using var domain = connection.LookupDomainByUuid(id);

            // The guest reads its own disks: the ext4 superblock of vdb (byte 1024 on) and swap's signature at the end of vdc's first page.
            var superblock = ReadGuestFile(domain, "/dev/vdb", 1024, 1024);
            BitConverter.ToUInt16(superblock, 0x38).ShouldBe((ushort)0xEF53, "vdb has an ext2/3/4 superblock");
            (BitConverter.ToUInt32(superblock, 0x60) & 0x40).ShouldBe(0x40u, "vdb uses extents: ext4");
            Encoding.ASCII.GetString(superblock, 0x78, 16).TrimEnd('\0').ShouldBe("ephemeral0");
            Encoding.ASCII.GetString(ReadGuestFile(domain, "/dev/vdc", 4086, 10)).ShouldBe("SWAPSPACE2");

            // And its kernel takes vdc as swap.
            await GuestExecAsync(domain, "/bin/busybox", ["swapon", "/dev/vdc"]);
            Encoding.ASCII.GetString(ReadGuestFile(domain, "/proc/swaps", 0, 4096)).ShouldContain("/dev/vdc");
        }
        finally
        {
            await service.CliAsync("server", "delete", id.ToString(), "--wait");
        }

        ServiceScenario.ShouldLeaveNothing(service, id);
    }

    [Theory]
    [InlineData("--ephemeral", "-1")]
    [InlineData("--swap", "-64")]
    public async Task Flavor_create_refuses_a_negative_size_naming_the_option_with_exit_64(string option, string value)
    {
        var result = await VireoService.RunCliAsync(["flavor", "create", "bad", "--vcpus", "1", "--ram", "64", "--disk", "0", option, value]);

        result.ExitCode.ShouldBe(64, result.ToString());
        result.Stderr.ShouldContain($"{option} must be at least 0, got {value}");
    }

    /// <summary>guest-file-open, -seek, -read and -close: <paramref name="count"/> bytes at <paramref name="offset"/> of a file inside the guest.</summary>
    internal static byte[] ReadGuestFile(Domain domain, string path, long offset, int count)
    {
        using var opened = JsonDocument.Parse(domain.QemuAgentCommand(
            "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":" + JsonSerializer.Serialize(path) + ",\"mode\":\"r\"}}", TimeSpan.FromSeconds(10)));
        var handle = opened.RootElement.GetProperty("return").GetInt64();
        try
        {
            if (offset > 0)
            {
                domain.QemuAgentCommand("{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":" + handle + ",\"offset\":" + offset + ",\"whence\":\"set\"}}", TimeSpan.FromSeconds(10));
            }

            using var read = JsonDocument.Parse(domain.QemuAgentCommand(
                "{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + handle + ",\"count\":" + count + "}}", TimeSpan.FromSeconds(10)));
            var bytes = Convert.FromBase64String(read.RootElement.GetProperty("return").GetProperty("buf-b64").GetString()!);
            bytes.Length.ShouldBeGreaterThan(0, $"nothing read from {path} at {offset}");
            return bytes;
        }
        finally
        {
            domain.QemuAgentCommand("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}", TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>guest-exec, then guest-exec-status until it has exited (deadline: 1 minute); its standard output.</summary>
    internal static async Task<string> GuestExecAsync(Domain domain, string path, string[] arguments)
    {
        var request = "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":" + JsonSerializer.Serialize(path) + ",\"arg\":["
            + string.Join(',', arguments.Select(a => JsonSerializer.Serialize(a))) + "],\"capture-output\":true}}";
        using var started = JsonDocument.Parse(domain.QemuAgentCommand(request, TimeSpan.FromSeconds(10)));
        var pid = started.RootElement.GetProperty("return").GetProperty("pid").GetInt64();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            using var status = JsonDocument.Parse(domain.QemuAgentCommand("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}", TimeSpan.FromSeconds(10)));
            var result = status.RootElement.GetProperty("return");
            if (result.GetProperty("exited").GetBoolean())
            {
                var output = result.TryGetProperty("out-data", out var data) ? Encoding.UTF8.GetString(Convert.FromBase64String(data.GetString()!)) : "";
                var error = result.TryGetProperty("err-data", out var err) ? Encoding.UTF8.GetString(Convert.FromBase64String(err.GetString()!)) : "";
                result.GetProperty("exitcode").GetInt32().ShouldBe(0, $"{path} {string.Join(' ', arguments)}: {output} {error}");
                return output;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{path} {string.Join(' ', arguments)} did not exit within a minute");
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        }
    }
}
