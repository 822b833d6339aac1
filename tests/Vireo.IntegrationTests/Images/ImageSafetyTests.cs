using System.Text;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests.Images;

/// <summary>
/// Unsafe images are refused at import through the real service with the inspector's reason and
/// leave nothing behind; a base changed on disk after import is refused at the next boot; two
/// concurrent creates from one new image fill the cache once; an image in use can be deleted.
/// </summary>
public sealed class ImageSafetyTests
{
    /// <summary>A name, how to make the file in a folder, the disk_format to declare, and the violation names expected.</summary>
    public static TheoryData<string, string, string> UnsafeImages => new()
    {
        { "qcow2-backing-file", "qcow2", "qcow2.backing-file" },
        { "qcow2-data-file", "qcow2", "qcow2.data-file" },
        { "qcow2-data-file-raw", "qcow2", "qcow2.data-file,qcow2.data-file-raw" },
        { "qcow2-unknown-feature", "qcow2", "qcow2.unknown-incompatible-features" },
        { "qcow2-version-9", "qcow2", "qcow2.unsupported-version" },
        { "qcow2-declared-raw", "raw", "format.mismatch" },
        { "raw-declared-qcow2", "qcow2", "format.mismatch" },
        { "qcow2-and-iso", "qcow2", "format.ambiguous" },
        { "qed-backing-file", "qed", "qed.backing-file" },
        { "vmdk-split", "vmdk", "vmdk.create-type-not-allowed,vmdk.extent-file" },
        { "vmdk-descriptor-on-etc-passwd", "vmdk", "vmdk.create-type-not-allowed,vmdk.extent-file" },
    };

    [Theory]
    [MemberData(nameof(UnsafeImages))]
    public async Task Unsafe_image_is_refused_at_import_with_its_reason_and_nothing_is_kept(string name, string declared, string violations)
    {
        await using var service = new VireoService();
        await service.StartAsync();
        var path = MakeUnsafe(name, Path.Combine(service.Root, "uploads"));

        // The service refuses it: the bytes sent straight over HTTP, past the client's own check.
        using (var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) })
        await using (var file = File.OpenRead(path))
        {
            using var body = new StreamContent(file);
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            using var response = await http.PostAsync(
                new Uri($"http://127.0.0.1:{service.Port}/image/v2/vireo-import?name={name}&disk_format={declared}"), body, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest, text);
            text.ShouldContain($"image '{name}' is refused: ");
            foreach (var violation in violations.Split(','))
            {
                text.ShouldContain($"[{violation}]");
            }
        }

        // The CLI refuses it too, with the same reasons, before sending a byte.
        var import = await service.CliAsync("image", "import", name, "--file", path, "--disk-format", declared);

        import.ExitCode.ShouldBe(64, import.ToString());
        import.Stderr.ShouldContain($"image '{name}' is refused (nothing was sent): ");
        foreach (var violation in violations.Split(','))
        {
            import.Stderr.ShouldContain($"[{violation}]");
        }

        import.Stderr.ShouldNotContain("   at ");
        (await service.CliAsync("image", "list")).Json.GetArrayLength().ShouldBe(0);
        var images = Path.Combine(service.Root, "state", "images");
        (Directory.Exists(images) ? Directory.GetFileSystemEntries(images) : []).ShouldBeEmpty();
    }

    [Fact]
    public async Task Disk_format_outside_the_accepted_list_is_refused_by_name_before_anything_is_sent()
    {
        await using var service = new VireoService();
        await service.StartAsync();

        var import = await service.CliAsync("image", "import", "x", "--file", TestImage.Qcow2Path, "--disk-format", "ploop");

        import.ExitCode.ShouldBe(64, import.ToString());
        import.Stderr.ShouldContain("--disk-format 'ploop' is not accepted; use one of raw, qcow2, qed, vmdk, vhd, vhdx, vdi, iso");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Base_given_a_backing_file_after_import_is_refused_at_the_next_boot(bool forceRaw)
    {
        await using var service = new VireoService($"[DEFAULT]\nforce_raw_images = {forceRaw}\n");
        await service.StartAsync();
        var imageId = await ServiceScenario.ImportTestImageAsync(service);
        var first = await ServiceScenario.CreateServerAsync(service, $"tamper-first-{forceRaw}");
        var basePath = ImageFormatBootTests.QemuImgInfo(Path.Combine(service.InstancesPath, first.ToString("D"), "disk"))
            .GetProperty("backing-filename").GetString()!;
        (await service.CliAsync("server", "delete", $"tamper-first-{forceRaw}", "--wait")).ExitCode.ShouldBe(0);
        var secret = Path.Combine(service.Root, "host-secret");
        File.WriteAllText(secret, "not for guests");
        WriteBackingFileIntoHeader(basePath, secret, Path.Combine(service.Root, "evil-header.qcow2"));

        var second = await service.CliAsync("server", "create", $"tamper-second-{forceRaw}", "--image", "vireo-test", "--flavor", "m1.tiny", "--wait", "--timeout", "300");

        second.ExitCode.ShouldBe(1, second.ToString());
        var (_, status, fault) = await ServiceScenario.ShowAsync(service, $"tamper-second-{forceRaw}");
        status.ShouldBe("ERROR");
        fault.ShouldNotBeNull();
        fault.ShouldContain($"the cached base {basePath} of image 'vireo-test' ({imageId}) failed its safety check");
        fault.ShouldContain("[qcow2.backing-file]");
        service.OwnedDomains().ShouldBeEmpty();
    }

    [Fact]
    public async Task Two_concurrent_creates_from_one_new_image_fill_the_cache_once_and_the_image_can_then_be_deleted()
    {
        await using var service = new VireoService("[DEFAULT]\nforce_raw_images = true\n");
        await service.StartAsync();
        var imageId = await ServiceScenario.ImportTestImageAsync(service);

        var creates = await Task.WhenAll(
            service.CliAsync("server", "create", "twin-a", "--image", "vireo-test", "--flavor", "m1.tiny", "--wait", "--timeout", "600"),
            service.CliAsync("server", "create", "twin-b", "--image", "vireo-test", "--flavor", "m1.tiny", "--wait", "--timeout", "600"));

        foreach (var create in creates)
        {
            create.ExitCode.ShouldBe(0, create.ToString());
            create.Json.GetProperty("status").GetString().ShouldBe("ACTIVE");
        }

        CountOf(service.Log, "base image cache: filling").ShouldBe(1, service.Log);
        var bases = Directory.GetFileSystemEntries(Path.Combine(service.InstancesPath, "_base"));
        bases.ShouldHaveSingleItem();

        // Glance allows deleting an image in use; the servers keep their cached base.
        var delete = await service.CliAsync("image", "delete", imageId);
        delete.ExitCode.ShouldBe(0, delete.ToString());
        File.Exists(bases[0]).ShouldBeTrue();
        await ServiceScenario.PowerAsync(service, "twin-a", on: false);
        await ServiceScenario.PowerAsync(service, "twin-a", on: true);
        var again = await service.CliAsync("server", "create", "twin-c", "--image", imageId, "--flavor", "m1.tiny");
        again.ExitCode.ShouldBe(3, again.ToString());
    }

    [Fact]
    public async Task Leftovers_of_a_killed_import_and_base_fill_are_removed_when_the_service_starts()
    {
        await using var service = new VireoService();
        var images = Directory.CreateDirectory(Path.Combine(service.Root, "state", "images")).FullName;
        var bases = Directory.CreateDirectory(Path.Combine(service.InstancesPath, "_base")).FullName;
        var partialImport = Path.Combine(images, ".partial-" + Guid.NewGuid());
        var staleFill = Path.Combine(bases, $".{new string('a', 40)}.{Guid.NewGuid():N}.raw.part");
        var freshFill = Path.Combine(bases, $".{new string('b', 40)}.{Guid.NewGuid():N}.part");
        foreach (var file in new[] { partialImport, staleFill, freshFill })
        {
            File.WriteAllText(file, "half written");
        }

        File.SetLastWriteTimeUtc(staleFill, DateTime.UtcNow.AddHours(-1));

        await service.StartAsync();

        File.Exists(partialImport).ShouldBeFalse();
        File.Exists(staleFill).ShouldBeFalse();
        File.Exists(freshFill).ShouldBeTrue("a fill written a moment ago may belong to another host sharing instances_path");
        service.Log.ShouldContain($"removed {staleFill}, left by an import or base fill that was killed");
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Puts a qcow2 header naming <paramref name="target"/> as its backing file over the start of
    /// the base, as an attacker with write access to instances_path would: on a qcow2 base with
    /// <c>qemu-img rebase -u</c>, on a raw base by writing a crafted header's first cluster.
    /// </summary>
    private static void WriteBackingFileIntoHeader(string basePath, string target, string scratch)
    {
        var head = new byte[4];
        using (var stream = File.OpenRead(basePath))
        {
            stream.ReadExactly(head);
        }

        if (head.AsSpan().SequenceEqual(new byte[] { 0x51, 0x46, 0x49, 0xFB }))
        {
            Processes.Run("qemu-img", ["rebase", "-u", "-f", "qcow2", "-F", "raw", "-b", target, basePath], TimeSpan.FromMinutes(1));
            return;
        }

        Processes.Run("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "raw", "-b", target, scratch, "64M"], TimeSpan.FromMinutes(1));
        var header = File.ReadAllBytes(scratch).AsSpan(0, 64 * 1024).ToArray();
        using var file = new FileStream(basePath, FileMode.Open, FileAccess.Write);
        file.Write(header);
    }

    /// <summary>Makes one file of <see cref="UnsafeImages"/> with the real qemu-img or by hand.</summary>
    private static string MakeUnsafe(string name, string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        var host = Path.Combine(folder, "host-file");
        File.WriteAllText(host, "a host file");
        void QemuImg(params string[] args) => Processes.Run("qemu-img", args, TimeSpan.FromMinutes(1));
        void Patch(long offset, byte[] bytes)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.Position = offset;
            file.Write(bytes);
        }

        switch (name)
        {
            case "qcow2-backing-file":
                QemuImg("create", "-q", "-f", "qcow2", "-F", "raw", "-b", host, path, "1M");
                break;
            case "qcow2-data-file":
                QemuImg("create", "-q", "-f", "qcow2", "-o", "data_file=" + Path.Combine(folder, "data"), path, "1M");
                break;
            case "qcow2-data-file-raw":
                QemuImg("create", "-q", "-f", "qcow2", "-o", "data_file=" + Path.Combine(folder, "data-raw") + ",data_file_raw=on", path, "1M");
                break;
            case "qcow2-unknown-feature":
                QemuImg("create", "-q", "-f", "qcow2", path, "1M");
                Patch(79, [0x20]); // incompatible feature bit 5: unknown to QEMU and to the inspector
                break;
            case "qcow2-version-9":
                QemuImg("create", "-q", "-f", "qcow2", path, "1M");
                Patch(4, [0, 0, 0, 9]);
                break;
            case "qcow2-declared-raw":
                QemuImg("create", "-q", "-f", "qcow2", path, "1M");
                break;
            case "raw-declared-qcow2":
                File.WriteAllBytes(path, new byte[1 << 20]);
                break;
            case "qcow2-and-iso":
                QemuImg("create", "-q", "-f", "qcow2", "-o", "cluster_size=2M", path, "16M");
                Patch(0x8000, [0x01, .. "CD001"u8.ToArray(), 0x01]); // an ISO primary volume descriptor inside the header cluster
                break;
            case "qed-backing-file":
                QemuImg("create", "-q", "-f", "qed", "-F", "raw", "-b", host, path, "1M");
                break;
            case "vmdk-split":
                QemuImg("create", "-q", "-f", "vmdk", "-o", "subformat=twoGbMaxExtentSparse", path, "1M");
                break;
            case "vmdk-descriptor-on-etc-passwd":
                File.WriteAllText(path, "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\n\n# Extent description\nRW 2048 FLAT \"/etc/passwd\" 0\n", Encoding.ASCII);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such unsafe image");
        }

        return path;
    }
}
