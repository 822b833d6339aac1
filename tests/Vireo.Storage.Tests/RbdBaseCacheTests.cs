using Microsoft.Extensions.Time.Testing;
using Vireo.Core;
using Vireo.Core.ImageCache;
using Vireo.Core.Ports;
using Vireo.Storage.Cache;
using Vireo.Storage.Disks;
using Vireo.Storage.Disks.Backends;
using Vireo.Storage.Rbd;
using Vireo.Storage.Tests.TestSupport;
using Vireo.Testing.Fakes;
using Vireo.Testing;

namespace Vireo.Storage.Tests;

/// <summary>
/// RBD bases as cache entries, over a fake rbd that keeps a pool as files (an image, its snapshot's
/// state, its clones, its ctime creation stamp) and logs every call: the report, and a pass that
/// removes only an old base without clones, in the order unprotect, snap rm, rm.
/// </summary>
public sealed class RbdBaseCacheTests : IDisposable
{
    private const string Image = "0c1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11";
    private const string Used = "7a1f1e52-8d0e-4f4b-9b43-9f0b3c0f6d11";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 20, 0, 0, TimeSpan.Zero);

    private readonly StorageSandbox _sandbox = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vireo-rbd-cache-");
    private readonly string _pool;
    private readonly RbdBackend _backend;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public RbdBaseCacheTests()
    {
        _pool = Directory.CreateDirectory(Path.Join(_dir.FullName, "pool")).FullName;
        var fake = Path.Join(_dir.FullName, "rbd");
        FakeExecutable.Write(fake, Script(_dir.FullName));
        var client = new RbdClient(new RbdSettings("/etc/ceph/ceph.conf", "vms", "vireo") { RbdPath = fake, Keyring = "/etc/ceph/k.keyring" });
        _backend = new RbdBackend(client, _sandbox.QemuImg, new RbdBackendSettings([new NetworkHost("10.0.0.1", 6789)], Guid.NewGuid()));
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _dir.Delete(recursive: true);
    }

    /// <summary>rbd's arguments after --conf, --id and --keyring.</summary>
    private static string Script(string dir) => $$"""
        #!/bin/sh
        PATH=/usr/bin:/bin
        S='{{dir}}'
        P="$S/pool"
        shift 6
        printf '%s\n' "$*" >> "$S/log"
        eval last=\${$#}
        name=${last#*/}
        img=${name%@*}
        verb="$1"
        [ "$1" = snap ] && verb="snap-$2"
        missing() { echo "rbd: error opening image $img: (2) No such file or directory" >&2; exit 2; }
        case "$verb" in
          snap-ls) [ -e "$P/$img" ] || missing
            if grep -q protected "$P/$img.snap" 2>/dev/null; then echo '[{"id":4,"name":"snap","size":64,"protected":"true"}]';
            elif [ -e "$P/$img.snap" ]; then echo '[{"id":4,"name":"snap","size":64,"protected":"false"}]'; else echo '[]'; fi ;;
          children) out=; if [ -e "$P/$img.children" ]; then while read -r c; do out="$out${out:+,}{\"pool\":\"vms\",\"pool_namespace\":\"\",\"image\":\"$c\"}"; done < "$P/$img.children"; fi; echo "[$out]" ;;
          info) [ -e "$P/$img" ] || missing
            printf '{"name":"%s","id":"abc","size":1073741824,"objects":256,"order":22,"format":2,"features":["layering"],"create_timestamp":"%s"}\n' "$img" "$(cat "$P/$img.created")" ;;
          snap-unprotect) if [ -s "$P/$img.children" ]; then echo "rbd: unprotecting snap failed: (16) Device or resource busy" >&2; exit 16; fi; echo made > "$P/$img.snap" ;;
          snap-rm) rm "$P/$img.snap" ;;
          rm) rm "$P/$img" "$P/$img.created"; rm -f "$P/$img.children" ;;
          ls) out=; for f in "$P"/*; do b=${f##*/}; case "$b" in *.*) continue ;; esac; out="$out${out:+,}\"$b\""; done; echo "[$out]" ;;
          *) echo "rbd: unknown verb $verb" >&2; exit 22 ;;
        esac
        """.Replace("\r", "", StringComparison.Ordinal);

    private string[] Calls => File.Exists(Path.Join(_dir.FullName, "log")) ? File.ReadAllLines(Path.Join(_dir.FullName, "log")) : [];

    /// <summary>A base in the fake pool: created <paramref name="age"/> before <see cref="Now"/> (ctime text, UTC), its snapshot protected or not, its clones.</summary>
    private void Base(string name, TimeSpan age, bool isProtected = true, params string[] children)
    {
        File.WriteAllText(Path.Join(_pool, name), "");
        File.WriteAllText(Path.Join(_pool, name + ".snap"), isProtected ? "protected" : "made");
        File.WriteAllText(Path.Join(_pool, name + ".created"), (Now - age).ToString("ddd MMM d HH:mm:ss yyyy", System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllLines(Path.Join(_pool, name + ".children"), children);
    }

    private ImageCacheManager Manager(ImageCacheRules rules) => new(
        _sandbox.Settings, new BaseImageCache(_sandbox.Settings, _sandbox.Store, _sandbox.QemuImg), new InMemoryStore(), _sandbox.Registry,
        rules, TimeSpan.FromSeconds(60), new FakeTimeProvider(Now), rbdBases: new RbdBaseCache(_backend, zone: TimeZoneInfo.Utc));

    [Fact]
    public async Task The_report_lists_each_base_with_its_clones_and_a_pass_removes_only_the_old_one_without_clones()
    {
        Base(Image, TimeSpan.FromDays(2));
        Base(Used, TimeSpan.FromDays(30), true, $"{Guid.NewGuid():D}_disk");
        Base("swap_64", TimeSpan.FromHours(1));
        Base("ephemeral_1_40d1d2c", TimeSpan.FromDays(2), isProtected: false);
        Base("notabase", TimeSpan.FromDays(99));
        File.WriteAllText(Path.Join(_pool, $"{Guid.NewGuid():D}_disk"), "");
        var manager = Manager(ImageCacheRules.Default);

        var report = await manager.InspectAsync(Ct);

        var rbd = report.Entries.Where(e => e.Kind == CachedFileKind.RbdBase).ToDictionary(e => e.Name, e => e);
        rbd.Keys.Order(StringComparer.Ordinal).ShouldBe(["vms/" + Image, "vms/" + Used, "vms/ephemeral_1_40d1d2c", "vms/swap_64"]);
        rbd["vms/" + Image].Action.ShouldBe(CacheAction.Remove);
        rbd["vms/" + Image].Age.ShouldBe(TimeSpan.FromDays(2));
        rbd["vms/" + Used].Action.ShouldBe(CacheAction.InUse);
        rbd["vms/" + Used].Users.ShouldHaveSingleItem().ShouldStartWith("clone vms/");
        rbd["vms/swap_64"].Action.ShouldBe(CacheAction.Keep);
        rbd["vms/ephemeral_1_40d1d2c"].Action.ShouldBe(CacheAction.Filling);

        File.Delete(Path.Join(_dir.FullName, "log"));
        var removed = await manager.RunPassAsync(Ct);

        removed.Select(r => r.Name).ShouldBe(["vms/" + Image]);
        Calls.SkipWhile(c => !c.StartsWith("snap unprotect", StringComparison.Ordinal)).ShouldBe([
            $"snap unprotect vms/{Image}@snap",
            $"snap rm --no-progress vms/{Image}@snap",
            $"rm --no-progress vms/{Image}",
        ]);
        File.Exists(Path.Join(_pool, Image)).ShouldBeFalse();
        File.Exists(Path.Join(_pool, Used)).ShouldBeTrue();
        File.Exists(Path.Join(_pool, "swap_64")).ShouldBeTrue();
    }

    [Fact]
    public async Task A_base_a_create_holds_is_not_removed_and_one_that_got_a_clone_before_the_second_look_is_kept()
    {
        Base(Image, TimeSpan.FromDays(2));
        var manager = Manager(ImageCacheRules.Default);

        using (_backend.TryHoldBase(Image))
        {
            (await manager.RunPassAsync(Ct)).ShouldBeEmpty();
        }

        // Ceph refuses to unprotect a snapshot with clones: the pass logs it and keeps the base.
        var script = Path.Join(_dir.FullName, "rbd");
        File.WriteAllText(script, File.ReadAllText(script).Replace(
            "  children) out=;", $"  children) if [ -e '{_dir.FullName}/second' ]; then echo x_disk > \"$P/$img.children\"; fi; : > '{_dir.FullName}/second'; out=;", StringComparison.Ordinal));
        (await manager.RunPassAsync(Ct)).ShouldBeEmpty();
        File.Exists(Path.Join(_pool, Image)).ShouldBeTrue();
        Calls.ShouldNotContain(c => c.StartsWith("snap unprotect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_remove_unused_base_images_false_nothing_is_removed()
    {
        Base(Image, TimeSpan.FromDays(400));

        (await Manager(ImageCacheRules.Default with { RemoveUnused = false }).RunPassAsync(Ct)).ShouldBeEmpty();

        File.Exists(Path.Join(_pool, Image)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("Mon Dec  7 19:41:43 2026", "2026-12-07T19:41:43Z")]
    [InlineData("Thu Jan 15 01:02:03 2026", "2026-01-15T01:02:03Z")]
    public void Rbds_ctime_stamps_are_read_in_the_given_zone(string text, string expected)
    {
        RbdTimestamps.Parse(text, TimeZoneInfo.Utc).ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-12-07 19:41:43")]
    public void Text_that_is_not_a_ctime_stamp_gives_no_time(string? text) => RbdTimestamps.Parse(text, TimeZoneInfo.Utc).ShouldBeNull();

    [Theory]
    [InlineData(Image, true)]
    [InlineData("swap_64", true)]
    [InlineData("ephemeral_1_40d1d2c", true)]
    [InlineData("0C1F1E52-8D0E-4F4B-9B43-9F0B3C0F6D11", false)]
    [InlineData(Image + "_disk", false)]
    [InlineData(Image + "-importing-0123", false)]
    [InlineData("volume-1", false)]
    public void Only_names_the_rbd_backend_gives_bases_are_cache_entries(string name, bool isBase) => RbdBaseCache.IsBaseName(name).ShouldBe(isBase);
}
