using Vireo.Cli.Client.Auth;

namespace Vireo.Api.Tests.Cli.Auth;

public sealed class CredentialSourcesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vireo-clouds-search-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    private CredentialInputs Gather(Dictionary<string, string> environment) =>
        CredentialSources.Gather(environment, new Dictionary<string, string>(), Path.Combine(_root, "cwd"), Path.Combine(_root, "etc"));

    [Fact]
    public void No_cloud_named_reads_no_file()
    {
        File.WriteAllText(Path.Combine(Dir("cwd"), "clouds.yaml"), "clouds: {}");

        var inputs = Gather(new() { ["HOME"] = _root });

        inputs.Clouds.ShouldBeNull();
        inputs.CloudsSearched.ShouldBeEmpty();
    }

    [Fact]
    public void The_current_directory_comes_before_the_user_config_and_etc()
    {
        var environment = new Dictionary<string, string> { ["OS_CLOUD"] = "c", ["XDG_CONFIG_HOME"] = Dir("xdg") };
        File.WriteAllText(Path.Combine(Dir("etc"), "clouds.yaml"), "etc");
        Gather(environment).Clouds!.Text.ShouldBe("etc");

        File.WriteAllText(Path.Combine(Dir("xdg/openstack"), "clouds.yml"), "xdg");
        Gather(environment).Clouds!.Text.ShouldBe("xdg");

        File.WriteAllText(Path.Combine(Dir("cwd"), "clouds.yaml"), "cwd");
        var inputs = Gather(environment);
        inputs.Clouds!.Text.ShouldBe("cwd");
        inputs.Clouds.Path.ShouldBe(Path.Combine(_root, "cwd", "clouds.yaml"));
    }

    [Fact]
    public void Without_XDG_CONFIG_HOME_the_user_config_is_under_HOME()
    {
        File.WriteAllText(Path.Combine(Dir("home/.config/openstack"), "clouds.yaml"), "home");
        File.WriteAllText(Path.Combine(Dir("home/.config/openstack"), "secure.yaml"), "secret");

        var inputs = Gather(new() { ["OS_CLOUD"] = "c", ["HOME"] = Path.Combine(_root, "home") });

        inputs.Clouds!.Text.ShouldBe("home");
        inputs.Secure!.Text.ShouldBe("secret");
        inputs.CloudsSearched.ShouldContain(Path.Combine(_root, "home", ".config", "openstack", "clouds.yaml"));
    }

    [Fact]
    public void OS_CLIENT_CONFIG_FILE_comes_first()
    {
        File.WriteAllText(Path.Combine(Dir("cwd"), "clouds.yaml"), "cwd");
        var chosen = Path.Combine(Dir("chosen"), "my-clouds.yaml");
        File.WriteAllText(chosen, "chosen");

        Gather(new() { ["OS_CLOUD"] = "c", ["HOME"] = _root, ["OS_CLIENT_CONFIG_FILE"] = chosen }).Clouds!.Text.ShouldBe("chosen");
    }

    [Fact]
    public void Nothing_found_lists_every_place_looked()
    {
        var inputs = Gather(new() { ["OS_CLOUD"] = "c", ["HOME"] = _root });

        inputs.Clouds.ShouldBeNull();
        inputs.CloudsSearched.ShouldBe(
        [
            Path.Combine(_root, "cwd", "clouds.yaml"), Path.Combine(_root, "cwd", "clouds.yml"),
            Path.Combine(_root, ".config", "openstack", "clouds.yaml"), Path.Combine(_root, ".config", "openstack", "clouds.yml"),
            Path.Combine(_root, "etc", "clouds.yaml"), Path.Combine(_root, "etc", "clouds.yml"),
        ]);
    }
}
