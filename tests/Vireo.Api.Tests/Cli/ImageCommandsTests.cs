using System.Text.Json;
using Vireo.Cli;

namespace Vireo.Api.Tests.Cli;

public sealed class ImageCommandsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vireo-cli-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteFile(int size)
    {
        var path = Path.Combine(_directory, "disk.img");
        var bytes = new byte[size];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task Image_import_json_streams_the_file_and_prints_only_the_image()
    {
        await using var api = await ApiHost.StartAsync();
        var file = WriteFile(3 << 20);

        var result = await CliRunner.RunAsync(api, "image", "import", "cirros", "--file", file, "--disk-format", "raw", "--property", "hw_qemu_guest_agent=yes", "--property", "note=a=b", "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Err.ShouldBeEmpty();
        result.Json.GetProperty("name").GetString().ShouldBe("cirros");
        result.Json.GetProperty("size").GetInt64().ShouldBe(3 << 20);
        result.Json.GetProperty("hw_qemu_guest_agent").GetString().ShouldBe("yes");
        result.Json.GetProperty("note").GetString().ShouldBe("a=b");
        api.Fakes.Images.LastImport!.Bytes.ShouldBe(3 << 20);
    }

    [Fact]
    public async Task Image_import_is_private_by_default_public_with_public_and_a_chosen_visibility_with_visibility()
    {
        await using var api = await ApiHost.StartAsync();
        var file = WriteFile(1 << 16);

        var plain = await CliRunner.RunAsync(api, "image", "import", "plain", "--file", file, "--disk-format", "raw", "--json");
        var wide = await CliRunner.RunAsync(api, "image", "import", "wide", "--file", file, "--disk-format", "raw", "--public", "--json");
        var open = await CliRunner.RunAsync(api, "image", "import", "open", "--file", file, "--disk-format", "raw", "--visibility", "community", "--json");
        var both = await CliRunner.RunAsync(api, "image", "import", "x", "--file", file, "--disk-format", "raw", "--public", "--visibility", "private");

        plain.Json.GetProperty("visibility").GetString().ShouldBe("private", plain.Err);
        plain.Json.GetProperty("owner").GetString().ShouldBe("admin", "no token: the default project");
        wide.Json.GetProperty("visibility").GetString().ShouldBe("public", wide.Err);
        open.Json.GetProperty("visibility").GetString().ShouldBe("community", open.Err);
        both.Exit.ShouldBe(ExitCodes.Usage);
        both.Err.ShouldContain("--public and --visibility private disagree");
    }

    [Fact]
    public async Task Image_import_for_people_off_a_terminal_says_what_was_sent_on_stderr_and_shows_the_image_on_stdout()
    {
        await using var api = await ApiHost.StartAsync();
        var file = WriteFile(1 << 20);

        var result = await CliRunner.RunAsync(api, "image", "import", "cirros", "--file", file, "--disk-format", "raw");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Err.ShouldStartWith("Sent 1.0 MiB of 'cirros' in ");
        result.Out.ShouldContain("cirros");
        result.Out.ShouldContain("disk_format");
    }

    [Fact]
    public async Task Image_import_of_a_missing_file_is_a_usage_error()
    {
        await using var api = await ApiHost.StartAsync();

        var result = await CliRunner.RunAsync(api, "image", "import", "x", "--file", Path.Combine(_directory, "nope.img"), "--disk-format", "raw");

        result.Exit.ShouldBe(ExitCodes.Usage);
        result.Err.ShouldContain("does not exist");
    }

    [Fact]
    public async Task Image_import_refused_by_the_service_exits_64_with_its_reason()
    {
        await using var api = await ApiHost.StartAsync();
        var file = WriteFile(4096);

        var result = await CliRunner.RunAsync(api, "image", "import", "refused-late", "--file", file, "--disk-format", "raw");

        result.Exit.ShouldBe(ExitCodes.Usage);
        result.Err.ShouldContain("is not a vmdk file");
    }

    [Fact]
    public async Task Image_import_of_content_the_inspector_refuses_sends_nothing_and_names_every_reason()
    {
        await using var api = await ApiHost.StartAsync();
        var file = WriteFile(1 << 20);
        var bytes = File.ReadAllBytes(file);
        new byte[] { 0x51, 0x46, 0x49, 0xFB, 0, 0, 0, 3 }.CopyTo(bytes, 0);
        File.WriteAllBytes(file, bytes);

        var result = await CliRunner.RunAsync(api, "image", "import", "sneaky", "--file", file, "--disk-format", "raw");

        result.Exit.ShouldBe(ExitCodes.Usage);
        result.Err.ShouldContain("image 'sneaky' is refused (nothing was sent): ");
        result.Err.ShouldContain("[format.mismatch]");
        api.Fakes.Images.LastImport.ShouldBeNull();
    }

    [Fact]
    public async Task Image_import_without_a_disk_format_declares_the_detected_one_and_says_so()
    {
        await using var api = await ApiHost.StartAsync();
        var file = WriteFile(1 << 20);

        var result = await CliRunner.RunAsync(api, "image", "import", "plain", "--file", file, "--json");

        result.Exit.ShouldBe(ExitCodes.Success, result.Err);
        result.Err.ShouldContain("Detected disk_format raw from the content of 'disk.img'");
        result.Json.GetProperty("disk_format").GetString().ShouldBe("raw");
    }

    [Fact]
    public async Task Image_list_show_and_delete_by_name()
    {
        await using var api = await ApiHost.StartAsync();
        var image = api.Fakes.Images.Add("cirros", properties: new Dictionary<string, string> { ["os_distro"] = "cirros" });

        var list = await CliRunner.RunAsync(api, "image", "list", "--json");
        var show = await CliRunner.RunAsync(api, "image", "show", "cirros");
        var delete = await CliRunner.RunAsync(api, "image", "delete", "cirros", "--json");
        var gone = await CliRunner.RunAsync(api, "image", "show", image.Id.ToString());

        list.Exit.ShouldBe(ExitCodes.Success, list.Err);
        list.Json.EnumerateArray().Single().GetProperty("id").GetString().ShouldBe(image.Id.ToString());
        show.Exit.ShouldBe(ExitCodes.Success, show.Err);
        show.Out.ShouldContain("os_distro");
        delete.Exit.ShouldBe(ExitCodes.Success, delete.Err);
        delete.Json.GetProperty("deleted").GetBoolean().ShouldBeTrue();
        delete.Json.GetProperty("kind").GetString().ShouldBe("image");
        gone.Exit.ShouldBe(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Image_show_of_an_ambiguous_name_exits_4()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Images.Add("cirros");
        api.Fakes.Images.Add("cirros");

        var result = await CliRunner.RunAsync(api, "image", "show", "cirros");

        result.Exit.ShouldBe(ExitCodes.Conflict);
        result.Err.ShouldContain("matches 2 images");
    }

    [Fact]
    public async Task Image_show_of_an_unknown_name_exits_3()
    {
        await using var api = await ApiHost.StartAsync();

        var result = await CliRunner.RunAsync(api, "image", "show", "nothing", "--json");

        result.Exit.ShouldBe(ExitCodes.NotFound);
        result.Out.ShouldBeEmpty();
        result.Err.ShouldContain("image 'nothing' does not exist");
    }

    [Fact]
    public async Task Image_import_refused_after_the_first_bytes_of_a_large_file_exits_64_with_the_reason()
    {
        await using var api = await ApiHost.StartAsync();
        var file = WriteFile(64 << 20);

        var result = await CliRunner.RunAsync(api, "image", "import", "refused-early", "--file", file, "--disk-format", "raw");

        result.Exit.ShouldBe(ExitCodes.Usage, result.Err);
        result.Err.Trim().ShouldBe("vireo: image 'refused-early' is refused: the content is not vhd (no 'conectix' footer)");
    }
}
