using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Vireo.Libvirt;

namespace Vireo.IntegrationTests.Service;

/// <summary>
/// `vireo server image create` end to end on the qcow2 backend: a file the guest wrote is in a
/// snapshot taken while it runs (libvirt's backup job) and in one taken while it is stopped
/// (qemu-img convert of the overlay and its base); a server booted from each reads it back
/// through its agent. Three boots in all.
/// </summary>
public sealed class SnapshotServiceTests(ITestOutputHelper output)
{
    private const string MarkerPath = "/vireo-snapshot-marker.txt";

    [Fact]
    public async Task Snapshots_of_a_running_and_of_a_stopped_guest_boot_and_hold_the_file_the_guest_wrote()
    {
        await using var service = new VireoService();
        await service.StartAsync();
        var sourceImageId = await ServiceScenario.ImportTestImageAsync(service);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var marker = $"written before the snapshot {suffix}\n";
        var created = new List<Guid>();
        try
        {
            var source = await ServiceScenario.CreateServerAsync(service, "snap-src-" + suffix);
            created.Add(source);
            await ServiceScenario.WaitForAgentAsync(source, TimeSpan.FromMinutes(4));
            using (var connection = Connection.Open("qemu:///system"))
            using (var domain = connection.LookupDomainByUuid(source))
            {
                WriteGuestFile(domain, MarkerPath, Encoding.UTF8.GetBytes(marker));
                await EphemeralSwapServiceTests.GuestExecAsync(domain, "/bin/busybox", ["sync"]);
            }

            // Running: live copy; the guest runs on with no job left.
            var clock = Stopwatch.StartNew();
            var running = await service.CliAsync("server", "image", "create", source.ToString(), "--name", "snap-run-" + suffix, "--timeout", "600");
            var runningSeconds = clock.Elapsed.TotalSeconds;
            running.ExitCode.ShouldBe(0, running.ToString());
            ShouldBeSnapshotOf(running.Json, source, sourceImageId);
            (await ServiceScenario.ShowAsync(service, source.ToString())).Status.ShouldBe("ACTIVE");
            using (var connection = Connection.Open("qemu:///system"))
            using (var domain = connection.LookupDomainByUuid(source))
            {
                domain.GetState().State.ShouldBe(DomainState.Running, "a live snapshot leaves the guest running");
                domain.GetJobType().ShouldBe(DomainJobType.None, "no copy job is left on the guest");
            }

            // Stopped: qemu-img convert of the stored disk.
            await ServiceScenario.PowerAsync(service, source.ToString(), on: false);
            clock.Restart();
            var stopped = await service.CliAsync("server", "image", "create", source.ToString(), "--name", "snap-stop-" + suffix, "--timeout", "600");
            var stoppedSeconds = clock.Elapsed.TotalSeconds;
            stopped.ExitCode.ShouldBe(0, stopped.ToString());
            ShouldBeSnapshotOf(stopped.Json, source, sourceImageId);
            (await ServiceScenario.ShowAsync(service, source.ToString())).Status.ShouldBe("SHUTOFF");
            Directory.GetFiles(Path.Combine(service.InstancesPath, source.ToString("D")), "snapshot-*").ShouldBeEmpty("no temporary snapshot file is left");
            output.WriteLine($"snapshot of the running guest {runningSeconds:F1} s, of the stopped guest {stoppedSeconds:F1} s (CLI call to active image)");

            // One server at a time from each snapshot: the file is there.
            (await service.CliAsync("server", "delete", source.ToString(), "--wait")).ExitCode.ShouldBe(0);
            foreach (var snapshot in new[] { "snap-run-" + suffix, "snap-stop-" + suffix })
            {
                var boot = await service.CliAsync("server", "create", "from-" + snapshot, "--image", snapshot, "--flavor", "m1.tiny", "--wait", "--timeout", "300");
                boot.ExitCode.ShouldBe(0, boot.ToString());
                var id = Guid.Parse(boot.Json.GetProperty("id").GetString()!);
                created.Add(id);
                await ServiceScenario.WaitForAgentAsync(id, TimeSpan.FromMinutes(4));
                using (var connection = Connection.Open("qemu:///system"))
                using (var domain = connection.LookupDomainByUuid(id))
                {
                    Encoding.UTF8.GetString(EphemeralSwapServiceTests.ReadGuestFile(domain, MarkerPath, 0, 4096)).ShouldBe(marker, $"the file is in {snapshot}");
                }

                (await service.CliAsync("server", "delete", id.ToString(), "--wait")).ExitCode.ShouldBe(0);
            }
        }
        finally
        {
            foreach (var id in created)
            {
                await service.CliAsync("server", "delete", id.ToString(), "--wait");
            }
        }

        foreach (var id in created)
        {
            ServiceScenario.ShouldLeaveNothing(service, id);
        }
    }

    private static void ShouldBeSnapshotOf(JsonElement image, Guid instance, string sourceImageId)
    {
        image.GetProperty("status").GetString().ShouldBe("active");
        image.GetProperty("disk_format").GetString().ShouldBe("qcow2", "the source image is qcow2, and a snapshot keeps it");
        image.GetProperty("image_type").GetString().ShouldBe("snapshot");
        image.GetProperty("instance_uuid").GetString().ShouldBe(instance.ToString("D"));
        image.GetProperty("base_image_ref").GetString().ShouldBe(sourceImageId);
        image.GetProperty("hw_qemu_guest_agent").GetString().ShouldBe("yes", "the source image's properties are copied");
    }

    /// <summary>guest-file-open (w), -write, -close: <paramref name="content"/> as the whole file inside the guest.</summary>
    internal static void WriteGuestFile(Domain domain, string path, byte[] content)
    {
        using var opened = JsonDocument.Parse(domain.QemuAgentCommand(
            "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":" + JsonSerializer.Serialize(path) + ",\"mode\":\"w\"}}", TimeSpan.FromSeconds(10)));
        var handle = opened.RootElement.GetProperty("return").GetInt64();
        try
        {
            using var written = JsonDocument.Parse(domain.QemuAgentCommand(
                "{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":" + handle + ",\"buf-b64\":\"" + Convert.ToBase64String(content) + "\"}}", TimeSpan.FromSeconds(10)));
            written.RootElement.GetProperty("return").GetProperty("count").GetInt32().ShouldBe(content.Length);
        }
        finally
        {
            domain.QemuAgentCommand("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}", TimeSpan.FromSeconds(10));
        }
    }
}
