using Vireo.Core;
using Vireo.Storage.Rbd;
using Vireo.Testing;

namespace Vireo.Storage.Tests;

/// <summary>
/// The RBD client's argument arrays, output parsing and error mapping, with a fake rbd that records
/// its arguments and answers as rbd does (the real cluster runs in
/// tests/Vireo.IntegrationTests/Ceph).
/// </summary>
public sealed class RbdClientTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vireo-rbd-fake-");
    private readonly string _fake;
    private readonly string _args;

    public RbdClientTests()
    {
        _fake = Path.Combine(_dir.FullName, "rbd");
        _args = Path.Combine(_dir.FullName, "args");
    }

    private RbdClient Client(string script, string? keyring = "/etc/ceph/k.keyring", string? keyFile = null)
    {
        FakeExecutable.Write(_fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + _args + "\n" + script);
        return new RbdClient(new RbdSettings("/etc/ceph/ceph.conf", "images", "vireo") { RbdPath = _fake, Keyring = keyring, KeyFile = keyFile });
    }

    private string[] Arguments => File.ReadAllLines(_args);

    [Fact]
    public async Task Every_call_names_the_conf_the_user_the_key_and_the_pool_explicitly()
    {
        var rbd = Client("exit 0\n");
        await rbd.CloneAsync("base", "snap", "1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk", TestContext.Current.CancellationToken);
        Arguments.ShouldBe(["--conf", "/etc/ceph/ceph.conf", "--id", "vireo", "--keyring", "/etc/ceph/k.keyring",
            "clone", "images/base@snap", "images/1b4e28ba-2fa1-11d2-883f-0016d3cca427_disk"]);

        rbd = Client("exit 0\n", keyring: null, keyFile: "/etc/ceph/vireo.key");
        await rbd.ImportAsync("/var/lib/vireo/base.raw", "img", TestContext.Current.CancellationToken);
        Arguments.ShouldBe(["--conf", "/etc/ceph/ceph.conf", "--id", "vireo", "--keyfile", "/etc/ceph/vireo.key",
            "import", "--no-progress", "--image-format", "2", "/var/lib/vireo/base.raw", "images/img"]);

        await rbd.RenameAsync("img.part", "img", TestContext.Current.CancellationToken);
        Arguments[^3..].ShouldBe(["rename", "images/img.part", "images/img"]);
        await rbd.FlattenAsync("img", TestContext.Current.CancellationToken);
        Arguments[^3..].ShouldBe(["flatten", "--no-progress", "images/img"]);
        await rbd.ResizeAsync("img", 1L << 30, TestContext.Current.CancellationToken);
        Arguments[^5..].ShouldBe(["resize", "--no-progress", "--size", "1073741824B", "images/img"]);
        await rbd.ListAsync(TestContext.Current.CancellationToken).ShouldThrowAsync<VireoException>(); // no JSON printed
        Arguments[^5..].ShouldBe(["ls", "--format", "json", "--pool", "images"]);
    }

    [Fact]
    public async Task Json_output_is_read_into_values()
    {
        var ct = TestContext.Current.CancellationToken;
        var rbd = Client("""
            echo '{"name":"c","id":"1a","size":1073741824,"format":2,"features":["layering"],"parent":{"pool":"images","pool_namespace":"","image":"base","id":"9","snapshot":"snap","trash":false,"overlap":1}}'
            """);
        (await rbd.InfoAsync("c", ct)).ShouldBe(new RbdImageInfo("c", "1a", 1L << 30, 2, ["layering"], new RbdParent("images", "base", "snap")), new RbdImageInfoComparer());

        rbd = Client("""echo '[{"pool":"images","pool_namespace":"","image":"a_disk"},{"pool":"images","pool_namespace":"","image":"b_disk"}]'""");
        (await rbd.ChildrenAsync("base", "snap", ct)).ShouldBe(["images/a_disk", "images/b_disk"]);

        rbd = Client("""echo '{"images":[{"name":"b","id":"1","snapshot":"snap","snapshot_id":4,"provisioned_size":64,"used_size":8},{"name":"b","id":"1","provisioned_size":64,"used_size":0}],"total_provisioned_size":128,"total_used_size":8}'""");
        (await rbd.DiskUsageAsync(cancellationToken: ct)).ShouldBe([new RbdDiskUsage("b", "snap", 64, 8), new RbdDiskUsage("b", null, 64, 0)]);

        rbd = Client("""echo '[{"id":4,"name":"snap","size":64,"protected":"true","timestamp":"x"},{"id":5,"name":"s2","size":64,"protected":"false"}]'""");
        (await rbd.SnapshotsAsync("b", ct)).ShouldBe([new RbdSnapshot("snap", 64, true), new RbdSnapshot("s2", 64, false)]);
    }

    [Theory]
    [InlineData(2, "rbd: error opening image nope: (2) No such file or directory", ErrorKind.NotFound)]
    [InlineData(16, "rbd: unprotecting snap failed: (16) Device or resource busy", ErrorKind.Conflict)]
    [InlineData(17, "rbd: clone error: (17) File exists", ErrorKind.Conflict)]
    [InlineData(39, "rbd: image has snapshots - these must be deleted with 'rbd snap purge' before the image can be removed.", ErrorKind.Conflict)]
    [InlineData(28, "rbd: import failed: (28) No space left on device", ErrorKind.TooLarge)]
    [InlineData(13, "rbd: couldn't connect to the cluster!", ErrorKind.Configuration)]
    [InlineData(22, "rbd: couldn't connect to the cluster!", ErrorKind.Configuration)]
    [InlineData(22, "rbd: invalid size", ErrorKind.Failed)]
    [InlineData(110, "rbd: connection timed out", ErrorKind.Unavailable)]
    public async Task Exit_status_and_message_become_one_kind_and_one_sentence(int status, string stderr, ErrorKind kind)
    {
        var rbd = Client($"echo '2026-12-07T17:41:51.316+0000 7f2c8a8686c0 -1 librbd: noise' >&2\necho \"{stderr}\" >&2\nexit {status}\n");
        var e = await Should.ThrowAsync<VireoException>(() => rbd.RemoveAsync("img", TestContext.Current.CancellationToken));
        e.Kind.ShouldBe(kind);
        e.Message.ShouldStartWith("rbd rm of images/img failed: " + stderr["rbd: ".Length..]);
        e.Message.ShouldNotContain("librbd: noise");
        e.Message.ShouldNotContain("\n");
        e.InnerException.ShouldBeOfType<RbdFailure>().Errno.ShouldBe(status);
    }

    [Fact]
    public void A_key_librados_quotes_on_stderr_never_reaches_the_message()
    {
        const string stderr = "2026-12-07T17:48:58.424+0000 7fd71b28e380 -1 auth: failed to decode key 'AQBhbWVud=='\n\nmonclient: keyring not found\n";
        RbdErrors.Message(stderr).ShouldNotContain("AQBhbWVud");
    }

    [Theory]
    [InlineData("img/../x")]
    [InlineData("img@snap")]
    [InlineData("-p")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData("with space")]
    public async Task Names_that_could_hide_a_separator_or_an_option_are_refused_before_rbd_runs(string name)
    {
        var rbd = Client("exit 0\n");
        var e = await Should.ThrowAsync<VireoException>(() => rbd.InfoAsync(name, TestContext.Current.CancellationToken));
        e.Kind.ShouldBe(ErrorKind.InvalidInput);
        File.Exists(_args).ShouldBeFalse();
    }

    [Fact]
    public async Task A_call_past_its_deadline_is_killed_and_reported_unavailable()
    {
        FakeExecutable.Write(_fake, "#!/bin/sh\nexec sleep 30\n");
        var rbd = new RbdClient(new RbdSettings("/etc/ceph/ceph.conf", "images", "vireo") { RbdPath = _fake, CommandTimeout = TimeSpan.FromMilliseconds(300) });
        var e = await Should.ThrowAsync<VireoException>(() => rbd.ListAsync(TestContext.Current.CancellationToken));
        e.Kind.ShouldBe(ErrorKind.Unavailable);
        e.Message.ShouldContain("/etc/ceph/ceph.conf");
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private sealed class RbdImageInfoComparer : IEqualityComparer<RbdImageInfo>
    {
        public bool Equals(RbdImageInfo? x, RbdImageInfo? y) =>
            x is not null && y is not null && x with { Features = [] } == y with { Features = [] } && x.Features.SequenceEqual(y.Features);

        public int GetHashCode(RbdImageInfo obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
