using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests;

/// <summary>
/// `vireo config check` as an operator runs it (the built assembly, a nova.conf): options nothing in Vireo acts on
/// yet warn when set, saying they have no effect and what to do, and the ones it acts on do not.
/// </summary>
public sealed class ConfigCheckTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("vireo-it-configcheck-").FullName;

    private static readonly string[] Unacted =
    [
        "[DEFAULT] log_dir", "[DEFAULT] log_file",
    ];

    private string Config(string text)
    {
        var path = Path.Combine(root, $"nova-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, $"[DEFAULT]\nstate_path = {root}/state\n{text}");
        return path;
    }

    [Fact]
    public async Task Options_nothing_acts_on_warn_when_set_and_strict_refuses_them()
    {
        var config = Config("""
            log_dir = /var/log/nova
            log_file = nova-compute.log
            [image_cache]
            manager_interval = 60
            remove_unused_base_images = false
            remove_unused_original_minimum_age_seconds = 10
            remove_unused_resized_minimum_age_seconds = 10
            """);

        var check = await VireoService.RunCliAsync(["--config-file", config, "config", "check"], TimeSpan.FromMinutes(3));

        check.ExitCode.ShouldBe(0, check.Stderr);
        var warnings = check.Stderr.Split('\n').Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ToList();
        warnings.Count.ShouldBe(Unacted.Length, check.Stderr);
        warnings.ShouldNotContain(w => w.Contains("[image_cache]", StringComparison.Ordinal), "the image cache manager reads them");
        foreach (var option in Unacted)
        {
            var matching = warnings.Where(w => w.Contains($"{option} is set but not implemented yet", StringComparison.Ordinal)).ToList();
            matching.Count.ShouldBe(1, check.Stderr);
            var line = matching[0];
            line.ShouldContain("has no effect");
            line.ShouldContain("remove it to silence this warning");
        }
        check.Stdout.ShouldContain("(not implemented yet)");

        var strict = await VireoService.RunCliAsync(["--config-file", config, "config", "check", "--strict"], TimeSpan.FromMinutes(3));
        strict.ExitCode.ShouldBe(78, strict.Stderr);
    }

    [Fact]
    public async Task Options_the_service_acts_on_do_not_warn()
    {
        var config = Config("""
            host = compute-it
            force_raw_images = false
            use_cow_images = false
            debug = true
            [image_cache]
            subdirectory_name = _base_it
            [libvirt]
            virt_type = qemu
            mem_stats_period_seconds = 0
            images_type = flat
            """);

        var check = await VireoService.RunCliAsync(["--config-file", config, "config", "check", "--strict"], TimeSpan.FromMinutes(3));

        check.ExitCode.ShouldBe(0, check.Stderr);
        check.Stderr.ShouldNotContain("warning:");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
