using System.Globalization;
using System.Text;
using CsCheck;
using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Loading;
using Vireo.Configuration.Options;
using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Tests;

public class PropertyTests
{
    private static readonly Gen<string> Noise = Gen.String[Gen.Char["[]=:#; \t$\"'{}.aAzZ09_-\\\0é\u00a0"], 0, 30];

    private static readonly Gen<string> Value = Gen.OneOf(Noise, Gen.OneOfConst(
        "custom", "none", "kvm", "lxc", "rbd", "lvm", "false", "$state_path/x", "${libvirt.virt_type}", "$nope", "$$", "\"quoted\"",
        "a,,b", "file=writeback", "-1", "65536", "/abs", "rel", "10.0.0.1"));

    private static readonly Gen<string> Key = Gen.OneOfConst([.. NovaOptions.All.Select(o => o.Name), "cpu_model", "bogus"]);

    private static readonly Gen<string> Assignment = Gen.Select(Key, Gen.OneOfConst(" = ", ":", "="), Value, (key, separator, value) => key + separator + value);

    private static readonly Gen<string> Fragment = Gen.OneOf(
        Noise,
        Gen.OneOfConst("[DEFAULT]", "[default]", "[libvirt]", "[ libvirt ]", "[image_cache]", "[database]", "[keystone_authtoken]", "[vireo]", "[", "[]", "    continued", "\t", "# comment", "; comment"),
        Assignment);

    private static readonly Gen<string> AnyText = Gen.Select(Fragment.Array[0, 40], Gen.OneOfConst("\n", "\r\n", "\r"), (lines, newline) => string.Join(newline, lines));

    [Fact]
    public void On_any_input_the_parser_returns_a_result_whose_errors_carry_a_line_of_the_input()
    {
        AnyText.Sample(text =>
        {
            var lineCount = Math.Max(1, text.Split(["\r\n", "\r", "\n"], StringSplitOptions.None).Length);
            var file = NovaConfParser.Parse("fuzz.conf", text);
            file.Errors.ShouldAllBe(e => e.Location != null && e.Location.Line >= 1 && e.Location.Line <= lineCount && e.Code.StartsWith("syntax.", StringComparison.Ordinal));
        }, iter: 3000);
    }

    [Fact]
    public void On_any_input_the_loader_returns_options_or_errors_and_never_throws()
    {
        Gen.Select(AnyText, AnyText).Sample((first, second) =>
        {
            var result = NovaConfig.Load([new ConfigSource("a.conf", first), new ConfigSource("b.conf", second)]);
            (result.Options is null).ShouldBe(result.Errors.Count > 0);
            result.Effective.Count.ShouldBe(NovaOptions.All.Count);
            foreach (var d in result.Errors.Concat(result.Warnings).Where(d => d.Location is not null))
            {
                d.Location!.Line.ShouldBeGreaterThan(0);
                d.Location.File.ShouldBeOneOf("a.conf", "b.conf");
            }
        }, iter: 1000);
    }

    /// <summary>One option's assignments, oldest first, and what the last one does to the options.</summary>
    private sealed record Setting(string Section, string Key, IReadOnlyList<string> Texts, Func<VireoOptions, VireoOptions> Apply);

    [Fact]
    public void Generated_files_parse_back_to_the_same_values()
    {
        var defaults = NovaConfig.Load("empty.conf", "").Options!;
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var settings = Settings(random).Where(_ => random.Next(3) > 0).ToList();
            var files = Render(random, settings);
            var result = NovaConfig.Load(files);
            result.Errors.ShouldBeEmpty($"seed {seed}\n{string.Join("\n----\n", files.Select(f => f.Text))}\n{Fixture.Describe(result)}");
            var expected = settings.Aggregate(defaults, (options, s) => s.Apply(options));
            Fixture.Canonical(result.Options).ShouldBe(Fixture.Canonical(expected), $"seed {seed}\n{string.Join("\n----\n", files.Select(f => f.Text))}");
        }, iter: 500);
    }

    private static IEnumerable<Setting> Settings(Random r)
    {
        var debug = Bools(r);
        yield return new("DEFAULT", "debug", debug.Texts, o => o with { Default = o.Default with { Debug = debug.Value } });
        var forceRaw = Bools(r);
        yield return new("DEFAULT", "force_raw_images", forceRaw.Texts, o => o with { Default = o.Default with { ForceRawImages = forceRaw.Value } });
        var port = Ints(r, 1, 65535);
        yield return new("DEFAULT", "osapi_compute_listen_port", port.Texts, o => o with { Default = o.Default with { OsapiComputeListenPort = port.Value } });
        var listen = Many(r, () => $"10.{r.Next(256)}.{r.Next(256)}.{r.Next(256)}");
        yield return new("DEFAULT", "osapi_compute_listen", listen, o => o with { Default = o.Default with { OsapiComputeListen = listen[^1] } });
        var host = Many(r, () => Word(r, "abcdefghijklmnopqrstuvwxyz0123456789-.", 1, 20));
        yield return new("DEFAULT", "host", host, o => o with { Default = o.Default with { Host = host[^1] } });
        var logDir = Many(r, () => "/" + string.Join('/', Enumerable.Range(0, r.Next(1, 4)).Select(_ => Word(r, "abcxyz_0123", 1, 8))));
        yield return new("DEFAULT", "log_dir", logDir, o => o with { Default = o.Default with { LogDir = logDir[^1] } });
        var virtType = Many(r, () => r.Next(2) == 0 ? "kvm" : "qemu");
        yield return new("libvirt", "virt_type", virtType, o => o with { Libvirt = o.Libvirt with { VirtType = virtType[^1] == "kvm" ? VirtType.Kvm : VirtType.Qemu } });
        var memStats = Ints(r, -5, 100);
        yield return new("libvirt", "mem_stats_period_seconds", memStats.Texts, o => o with { Libvirt = o.Libvirt with { MemStatsPeriodSeconds = memStats.Value } });
        var machines = new[] { "x86_64", "aarch64", "ppc64le", "s390x" }.Where(_ => r.Next(2) == 0).Select(a => (a, Word(r, "pq", 1, 1) + Word(r, "pcq35-.0123456789", 0, 12))).ToList();
        var machineText = string.Join(r.Next(2) == 0 ? "," : ", ", machines.Select(m => $"{m.a}={m.Item2}"));
        yield return new("libvirt", "hw_machine_type", [machineText], o => o with { Libvirt = o.Libvirt with { HwMachineType = machines.ToDictionary(m => m.a, m => m.Item2) } });
        var interval = Ints(r, -1, 100000);
        yield return new("image_cache", "manager_interval", interval.Texts, o => o with { ImageCache = o.ImageCache with { ManagerIntervalSeconds = interval.Value } });
        var removeUnused = Bools(r);
        yield return new("image_cache", "remove_unused_base_images", removeUnused.Texts, o => o with { ImageCache = o.ImageCache with { RemoveUnusedBaseImages = removeUnused.Value } });
        var subdirectory = Many(r, () => Word(r, "_abc012", 1, 10));
        yield return new("image_cache", "subdirectory_name", subdirectory, o => o with { ImageCache = o.ImageCache with { SubdirectoryName = subdirectory[^1] } });
        var vmdk = new[] { "streamOptimized", "monolithicSparse" }.Where(_ => r.Next(2) == 0).ToList();
        yield return new("compute", "vmdk_allowed_types", [string.Join(",\n    ", vmdk)], o => o with { Compute = o.Compute with { VmdkAllowedTypes = vmdk } });
        var id = Many(r, () => Word(r, "abc", 1, 1) + Word(r, "abcdefXYZ0123456789._-", 0, 20));
        yield return new("vireo", "installation_id", id, o => o with { Vireo = o.Vireo with { InstallationId = id[^1] } });
    }

    private static List<ConfigSource> Render(Random r, List<Setting> settings)
    {
        var fileCount = r.Next(1, 4);
        // Each assignment goes to a file no earlier than the previous assignment of the same option.
        var perFile = Enumerable.Range(0, fileCount).Select(_ => new List<(string Section, string Key, string Text)>()).ToList();
        foreach (var setting in settings)
        {
            var file = 0;
            foreach (var text in setting.Texts)
            {
                file = r.Next(file, fileCount);
                perFile[file].Add((setting.Section, setting.Key, text));
            }
        }
        return [.. perFile.Select((lines, i) => new ConfigSource($"f{i}.conf", RenderFile(r, lines)))];
    }

    private static string RenderFile(Random r, List<(string Section, string Key, string Text)> lines)
    {
        var text = new StringBuilder();
        foreach (var section in lines.GroupBy(l => l.Section).OrderBy(_ => r.Next()))
        {
            var name = section.Key == "DEFAULT" || r.Next(2) == 0 ? section.Key : section.Key.ToUpperInvariant();
            text.Append('[').Append(name).Append("]\n");
            foreach (var (_, key, value) in section)
            {
                if (r.Next(4) == 0)
                {
                    text.Append(r.Next(2) == 0 ? "# a comment = with: separators\n" : "\n");
                }
                var quote = !value.Contains('\n', StringComparison.Ordinal) && r.Next(3) == 0 ? (r.Next(2) == 0 ? "\"" : "'") : "";
                text.Append(key).Append(new[] { " = ", "=", ": ", " : ", "= " }[r.Next(5)]).Append(quote).Append(value).Append(quote).Append('\n');
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static (IReadOnlyList<string> Texts, bool Value) Bools(Random r)
    {
        string[] trues = ["true", "True", "YES", "on", "1"];
        string[] falses = ["false", "False", "no", "OFF", "0"];
        var values = Many(r, () => r.Next(2) == 0 ? "t" : "f");
        return ([.. values.Select(v => v == "t" ? trues[r.Next(trues.Length)] : falses[r.Next(falses.Length)])], values[^1] == "t");
    }

    private static (IReadOnlyList<string> Texts, int Value) Ints(Random r, int min, int max)
    {
        var values = Many(r, () => r.Next(min, max + 1).ToString(CultureInfo.InvariantCulture));
        return (values, int.Parse(values[^1], CultureInfo.InvariantCulture));
    }

    private static List<string> Many(Random r, Func<string> one) => [.. Enumerable.Range(0, r.Next(1, 4)).Select(_ => one())];

    private static string Word(Random r, string alphabet, int min, int max) =>
        new([.. Enumerable.Range(0, r.Next(min, max + 1)).Select(_ => alphabet[r.Next(alphabet.Length)])]);
}
