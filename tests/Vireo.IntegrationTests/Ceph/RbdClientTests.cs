using Vireo.Core;
using Vireo.Storage.Rbd;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// The RBD client against a real cluster with cephx on: the layout the rbd backend uses (a raw
/// base imported once, a protected snapshot, a copy-on-write clone per instance) and the errors
/// it must tell apart.
/// </summary>
[Collection(CephCollection.Name)]
public sealed class RbdClientTests(CephClusterFixture cluster, ITestOutputHelper output) : IDisposable
{
    private const long MiB = 1L << 20;
    private readonly string _raw = WriteRaw();

    [Fact]
    public async Task Import_snapshot_protect_clone_children_resize_du_and_remove_in_order()
    {
        output.WriteLine($"cluster started in {cluster.StartTime.TotalSeconds:F1} s");
        var rbd = cluster.Client();
        var ct = TestContext.Current.CancellationToken;
        var @base = CephClusterFixture.UniqueName("base");
        var clone = CephClusterFixture.UniqueName("clone") + "_disk";

        await rbd.ImportAsync(_raw, @base, ct);
        var baseInfo = await rbd.InfoAsync(@base, ct);
        baseInfo.SizeBytes.ShouldBe(8 * MiB);
        baseInfo.Format.ShouldBe(2);
        baseInfo.Features.ShouldContain("layering");
        baseInfo.Parent.ShouldBeNull();

        await rbd.CreateSnapshotAsync(@base, "snap", ct);
        await rbd.ProtectSnapshotAsync(@base, "snap", ct);
        (await rbd.SnapshotsAsync(@base, ct)).ShouldBe([new RbdSnapshot("snap", 8 * MiB, IsProtected: true)]);
        (await rbd.ChildrenAsync(@base, "snap", ct)).ShouldBeEmpty();

        await rbd.CloneAsync(@base, "snap", clone, ct);
        (await rbd.ChildrenAsync(@base, "snap", ct)).ShouldBe([$"{cluster.Pool}/{clone}"]);
        var cloneInfo = await rbd.InfoAsync(clone, ct);
        cloneInfo.Parent.ShouldBe(new RbdParent(cluster.Pool, @base, "snap"));

        await rbd.ResizeAsync(clone, 32 * MiB, ct);
        (await rbd.InfoAsync(clone, ct)).SizeBytes.ShouldBe(32 * MiB);
        (await rbd.ListAsync(ct)).ShouldContain(@base);
        (await rbd.ListAsync(ct)).ShouldContain(clone);

        // The base holds the written 1 MiB; the fresh clone holds nothing of its own.
        var du = await rbd.DiskUsageAsync(cancellationToken: ct);
        du.Single(u => u.Image == @base && u.Snapshot is null).ProvisionedBytes.ShouldBe(8 * MiB);
        du.Single(u => u.Image == @base && u.Snapshot == "snap").UsedBytes.ShouldBeGreaterThanOrEqualTo(1 * MiB);
        var cloneUse = (await rbd.DiskUsageAsync(clone, ct)).Single();
        cloneUse.ProvisionedBytes.ShouldBe(32 * MiB);
        cloneUse.UsedBytes.ShouldBe(0);

        // A base with a clone is in use: nothing of it can go.
        (await Should.ThrowAsync<VireoException>(() => rbd.UnprotectSnapshotAsync(@base, "snap", ct))).Kind.ShouldBe(ErrorKind.Conflict);
        (await Should.ThrowAsync<VireoException>(() => rbd.RemoveAsync(@base, ct))).Kind.ShouldBe(ErrorKind.Conflict);

        // A flattened copy (what a snapshot of an instance becomes) no longer depends on the base.
        var copy = CephClusterFixture.UniqueName("copy");
        await rbd.CloneAsync(@base, "snap", copy + ".part", ct);
        await rbd.FlattenAsync(copy + ".part", ct);
        await rbd.RenameAsync(copy + ".part", copy, ct);
        (await rbd.InfoAsync(copy, ct)).Parent.ShouldBeNull();
        (await rbd.ChildrenAsync(@base, "snap", ct)).ShouldBe([$"{cluster.Pool}/{clone}"]);
        (await Should.ThrowAsync<VireoException>(() => rbd.RenameAsync(copy, clone, ct))).Kind.ShouldBe(ErrorKind.Conflict);
        await rbd.RemoveAsync(copy, ct);

        await rbd.RemoveAsync(clone, ct);
        (await rbd.ChildrenAsync(@base, "snap", ct)).ShouldBeEmpty();
        await rbd.UnprotectSnapshotAsync(@base, "snap", ct);
        await rbd.RemoveSnapshotAsync(@base, "snap", ct);
        await rbd.RemoveAsync(@base, ct);
        var left = await rbd.ListAsync(ct);
        left.ShouldNotContain(@base);
        left.ShouldNotContain(clone);
    }

    [Fact]
    public async Task An_absent_image_is_not_found_and_an_existing_name_conflicts_with_the_key_file_too()
    {
        var rbd = cluster.Client(useKeyFile: true);
        var ct = TestContext.Current.CancellationToken;
        var absent = CephClusterFixture.UniqueName("absent");
        foreach (var call in new Func<Task>[]
        {
            () => rbd.InfoAsync(absent, ct),
            () => rbd.RemoveAsync(absent, ct),
            () => rbd.CreateSnapshotAsync(absent, "snap", ct),
            () => rbd.DiskUsageAsync(absent, ct),
            () => rbd.ResizeAsync(absent, 16 * MiB, ct),
        })
        {
            var e = await Should.ThrowAsync<VireoException>(call);
            e.Kind.ShouldBe(ErrorKind.NotFound);
            e.Message.ShouldContain($"{cluster.Pool}/{absent}");
            e.InnerException.ShouldBeOfType<RbdFailure>().Errno.ShouldBe(2);
        }

        var name = CephClusterFixture.UniqueName("twice");
        await rbd.ImportAsync(_raw, name, ct);
        try
        {
            var e = await Should.ThrowAsync<VireoException>(() => rbd.ImportAsync(_raw, name, ct));
            e.Kind.ShouldBe(ErrorKind.Conflict);
            e.Message.ShouldContain("exists");
            (await Should.ThrowAsync<VireoException>(() => rbd.CloneAsync(name, "nosnap", CephClusterFixture.UniqueName("c"), ct))).Kind.ShouldBe(ErrorKind.NotFound);
        }
        finally
        {
            await rbd.RemoveAsync(name, ct);
        }
    }

    [Fact]
    public async Task A_wrong_or_unreadable_key_is_a_configuration_error_that_never_quotes_the_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Path.GetDirectoryName(_raw)!;

        // A well-formed cephx key with one bit of its secret flipped: the monitor refuses it (EACCES).
        var key = Convert.FromBase64String((await File.ReadAllTextAsync(cluster.KeyFile, ct)).Trim());
        key[^1] ^= 1;
        var wrong = Convert.ToBase64String(key);
        // Not a key at all: librados cannot decode it and quotes it on stderr (EINVAL).
        const string garbage = "AQBub3Rha2V5bm90YWtleW5vdGFrZXlub3Rha2V5PT0=";
        foreach (var (text, file) in new[] { (wrong, "wrong.key"), (garbage, "garbage.key") })
        {
            var path = Path.Combine(dir, file);
            await File.WriteAllTextAsync(path, text + "\n", ct);
            var rbd = new RbdClient(new RbdSettings(cluster.CephConf, cluster.Pool, cluster.User) { KeyFile = path });
            var e = await Should.ThrowAsync<VireoException>(() => rbd.ListAsync(ct));
            output.WriteLine(e.Message);
            e.Kind.ShouldBe(ErrorKind.Configuration);
            e.Message.ShouldContain($"client.{cluster.User}");
            e.Message.ShouldNotContain(text);
            e.InnerException!.Message.ShouldNotContain(text);
        }
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_raw)!, recursive: true);

    /// <summary>An 8 MiB raw file whose first MiB is data (so du has something to count).</summary>
    private static string WriteRaw()
    {
        var dir = Directory.CreateTempSubdirectory("vireo-rbd-");
        var path = Path.Combine(dir.FullName, "base.raw");
        using var file = File.Create(path);
        var data = new byte[1 << 20];
        Random.Shared.NextBytes(data);
        file.Write(data);
        file.SetLength(8 * MiB);
        return path;
    }
}
