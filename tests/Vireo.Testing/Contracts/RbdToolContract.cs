using Shouldly;
using Vireo.Storage.Rbd;
using Xunit;

namespace Vireo.Testing.Contracts;

/// <summary>
/// What the rbd backend and the RBD base cache rely on from the <c>rbd</c> tool, driven through
/// <see cref="RbdClient"/> and asserted the same way for <c>Fakes/FakeRbdTool</c> (Storage.Tests)
/// and the real rbd on the test cluster (IntegrationTests, collection "ceph"): import, snapshot
/// create/protect/ls, clone, children, the info fields read (size, format, layering, parent,
/// create_timestamp), unprotect refused with clones (EBUSY) and accepted without, snap rm, rm,
/// rename, resize, ls, and the errno of each refusal (ENOENT: NotFound, EEXIST/EBUSY/ENOTEMPTY:
/// Conflict, EINVAL: Failed). Every image is named uniquely and removed in a finally.
/// </summary>
public abstract class RbdToolContract : IDisposable
{
    public const long MiB = 1L << 20;
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("vireo-rbd-contract-");

    protected RbdToolContract()
    {
        Raw = Path.Join(_scratch.FullName, "base.raw");
        using var file = File.Create(Raw);
        var data = new byte[1 << 20];
        Random.Shared.NextBytes(data);
        file.Write(data);
        file.SetLength(8 * MiB);
    }

    /// <summary>A client on the pool the contract may use.</summary>
    protected abstract RbdClient Rbd { get; }

    /// <summary>An 8 MiB raw file whose first MiB is random data.</summary>
    protected string Raw { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Pool => Rbd.Settings.Pool;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    [Fact(Timeout = 300_000)]
    public async Task An_imported_base_is_snapshotted_protected_and_cloned_and_children_and_info_say_so()
    {
        var rbd = Rbd;
        var before = DateTimeOffset.UtcNow;
        await WithBaseAndCloneNamesAsync(async (@base, clone) =>
        {
            await rbd.ImportAsync(Raw, @base, Ct);
            var info = await rbd.InfoAsync(@base, Ct);
            info.Name.ShouldBe(@base);
            info.SizeBytes.ShouldBe(8 * MiB);
            info.Format.ShouldBe(2);
            info.Features.ShouldContain("layering");
            info.Parent.ShouldBeNull();
            info.CreatedAt.ShouldNotBeNull("create_timestamp is ctime text in the local time");
            info.CreatedAt.Value.ShouldBeInRange(before.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(2));
            (await rbd.SnapshotsAsync(@base, Ct)).ShouldBeEmpty();

            await rbd.CreateSnapshotAsync(@base, "snap", Ct);
            (await rbd.SnapshotsAsync(@base, Ct)).ShouldBe([new RbdSnapshot("snap", 8 * MiB, IsProtected: false)]);
            await rbd.ProtectSnapshotAsync(@base, "snap", Ct);
            (await rbd.SnapshotsAsync(@base, Ct)).ShouldBe([new RbdSnapshot("snap", 8 * MiB, IsProtected: true)]);
            (await rbd.ChildrenAsync(@base, "snap", Ct)).ShouldBeEmpty();

            await rbd.CloneAsync(@base, "snap", clone, Ct);
            (await rbd.ChildrenAsync(@base, "snap", Ct)).ShouldBe([$"{Pool}/{clone}"]);
            var cloneInfo = await rbd.InfoAsync(clone, Ct);
            cloneInfo.Parent.ShouldBe(new RbdParent(Pool, @base, "snap"));
            cloneInfo.SizeBytes.ShouldBe(8 * MiB);
            (await rbd.SnapshotsAsync(clone, Ct)).ShouldBeEmpty();
            var listed = await rbd.ListAsync(Ct);
            listed.ShouldContain(@base);
            listed.ShouldContain(clone);
            listed.ShouldNotContain(n => n.Contains('@', StringComparison.Ordinal));
            var sizes = await rbd.ListWithSizesAsync(Ct);
            sizes.ShouldContain(new RbdListedImage(@base, 8 * MiB));
            sizes.ShouldContain(new RbdListedImage(clone, 8 * MiB));
        });
    }

    [Fact(Timeout = 300_000)]
    public async Task Unprotect_is_refused_while_clones_exist_and_accepted_without_then_snap_rm_and_rm_remove_the_base()
    {
        var rbd = Rbd;
        await WithBaseAndCloneNamesAsync(async (@base, clone) =>
        {
            await MakeBaseAsync(@base);
            await rbd.CloneAsync(@base, "snap", clone, Ct);

            (await Refusal(() => rbd.UnprotectSnapshotAsync(@base, "snap", Ct))).ShouldBe((ErrorKind.Conflict, 16));
            (await Refusal(() => rbd.RemoveSnapshotAsync(@base, "snap", Ct))).ShouldBe((ErrorKind.Conflict, 16));
            (await Refusal(() => rbd.RemoveAsync(@base, Ct))).ShouldBe((ErrorKind.Conflict, 39));
            (await Refusal(() => rbd.ProtectSnapshotAsync(@base, "snap", Ct))).ShouldBe((ErrorKind.Conflict, 16));
            (await rbd.SnapshotsAsync(@base, Ct)).ShouldBe([new RbdSnapshot("snap", 8 * MiB, IsProtected: true)]);

            await rbd.RemoveAsync(clone, Ct);
            (await rbd.ChildrenAsync(@base, "snap", Ct)).ShouldBeEmpty();
            await rbd.UnprotectSnapshotAsync(@base, "snap", Ct);
            (await rbd.SnapshotsAsync(@base, Ct)).ShouldBe([new RbdSnapshot("snap", 8 * MiB, IsProtected: false)]);
            (await Refusal(() => rbd.UnprotectSnapshotAsync(@base, "snap", Ct))).ShouldBe((ErrorKind.Failed, 22));
            (await Refusal(() => rbd.RemoveAsync(@base, Ct))).ShouldBe((ErrorKind.Conflict, 39));
            await rbd.RemoveSnapshotAsync(@base, "snap", Ct);
            (await rbd.SnapshotsAsync(@base, Ct)).ShouldBeEmpty();
            await rbd.RemoveAsync(@base, Ct);
            var left = await rbd.ListAsync(Ct);
            left.ShouldNotContain(@base);
            left.ShouldNotContain(clone);
        });
    }

    [Fact(Timeout = 300_000)]
    public async Task A_clone_needs_a_protected_snapshot()
    {
        var rbd = Rbd;
        await WithBaseAndCloneNamesAsync(async (@base, clone) =>
        {
            await rbd.ImportAsync(Raw, @base, Ct);
            await rbd.CreateSnapshotAsync(@base, "snap", Ct);

            (await Refusal(() => rbd.CloneAsync(@base, "snap", clone, Ct))).ShouldBe((ErrorKind.Failed, 22));
            (await rbd.ListAsync(Ct)).ShouldNotContain(clone);
        });
    }

    [Fact(Timeout = 300_000)]
    public async Task Rename_moves_an_image_with_its_protected_snapshot_and_clones_and_a_taken_name_is_a_conflict()
    {
        var rbd = Rbd;
        var name = Unique("cbase");
        var importing = name + "-importing-" + Guid.NewGuid().ToString("N")[..8];
        var clone = Unique("cclone") + "_disk";
        var other = Unique("cother");
        try
        {
            await MakeBaseAsync(importing);
            await rbd.CloneAsync(importing, "snap", clone, Ct);
            await rbd.RenameAsync(importing, name, Ct);

            var listed = await rbd.ListAsync(Ct);
            listed.ShouldContain(name);
            listed.ShouldNotContain(importing);
            (await rbd.SnapshotsAsync(name, Ct)).ShouldBe([new RbdSnapshot("snap", 8 * MiB, IsProtected: true)]);
            (await rbd.ChildrenAsync(name, "snap", Ct)).ShouldBe([$"{Pool}/{clone}"]);
            (await rbd.InfoAsync(clone, Ct)).Parent.ShouldBe(new RbdParent(Pool, name, "snap"));

            await rbd.ImportAsync(Raw, other, Ct);
            var taken = await Should.ThrowAsync<VireoException>(() => rbd.RenameAsync(other, name, Ct));
            Describe(taken).ShouldBe((ErrorKind.Conflict, 17));
            taken.Message.ShouldContain("exists");
            (await rbd.ListAsync(Ct)).ShouldContain(other);
        }
        finally
        {
            await RemoveQuietlyAsync(other);
            await RemoveQuietlyAsync(clone);
            await RemoveQuietlyAsync(importing, "snap");
            await RemoveQuietlyAsync(name, "snap");
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task Resize_grows_an_image_and_a_shrink_is_refused()
    {
        var rbd = Rbd;
        await WithBaseAndCloneNamesAsync(async (@base, clone) =>
        {
            await MakeBaseAsync(@base);
            await rbd.CloneAsync(@base, "snap", clone, Ct);

            await rbd.ResizeAsync(clone, 32 * MiB, Ct);
            (await rbd.InfoAsync(clone, Ct)).SizeBytes.ShouldBe(32 * MiB);
            (await rbd.ListWithSizesAsync(Ct)).ShouldContain(new RbdListedImage(clone, 32 * MiB));
            (await Refusal(() => rbd.ResizeAsync(clone, 1 * MiB, Ct))).ShouldBe((ErrorKind.Failed, 22));
            (await rbd.InfoAsync(clone, Ct)).SizeBytes.ShouldBe(32 * MiB);
            (await rbd.InfoAsync(@base, Ct)).SizeBytes.ShouldBe(8 * MiB);
        });
    }

    [Fact(Timeout = 300_000)]
    public async Task A_missing_image_or_snapshot_is_not_found_for_every_operation_on_it()
    {
        var rbd = Rbd;
        var absent = Unique("cabsent");
        await WithBaseAndCloneNamesAsync(async (@base, clone) =>
        {
            foreach (var call in new Func<Task>[]
            {
                () => rbd.InfoAsync(absent, Ct),
                () => rbd.SnapshotsAsync(absent, Ct),
                () => rbd.CreateSnapshotAsync(absent, "snap", Ct),
                () => rbd.ProtectSnapshotAsync(absent, "snap", Ct),
                () => rbd.UnprotectSnapshotAsync(absent, "snap", Ct),
                () => rbd.RemoveSnapshotAsync(absent, "snap", Ct),
                () => rbd.ChildrenAsync(absent, "snap", Ct),
                () => rbd.CloneAsync(absent, "snap", clone, Ct),
                () => rbd.ResizeAsync(absent, 16 * MiB, Ct),
                () => rbd.RenameAsync(absent, Unique("cto"), Ct),
                () => rbd.RemoveAsync(absent, Ct),
            })
            {
                var e = await Should.ThrowAsync<VireoException>(call);
                Describe(e).ShouldBe((ErrorKind.NotFound, 2));
                e.Message.ShouldContain($"{Pool}/");
            }

            await rbd.ImportAsync(Raw, @base, Ct);
            foreach (var call in new Func<Task>[]
            {
                () => rbd.ProtectSnapshotAsync(@base, "nosnap", Ct),
                () => rbd.UnprotectSnapshotAsync(@base, "nosnap", Ct),
                () => rbd.RemoveSnapshotAsync(@base, "nosnap", Ct),
                () => rbd.ChildrenAsync(@base, "nosnap", Ct),
                () => rbd.CloneAsync(@base, "nosnap", clone, Ct),
            })
            {
                (await Refusal(call)).ShouldBe((ErrorKind.NotFound, 2));
            }

            (await rbd.ListAsync(Ct)).ShouldNotContain(clone);
        });
    }

    [Fact(Timeout = 300_000)]
    public async Task Creating_a_name_that_exists_is_a_conflict_and_leaves_the_existing_one()
    {
        var rbd = Rbd;
        await WithBaseAndCloneNamesAsync(async (@base, clone) =>
        {
            await MakeBaseAsync(@base);
            await rbd.CloneAsync(@base, "snap", clone, Ct);

            var import = await Should.ThrowAsync<VireoException>(() => rbd.ImportAsync(Raw, @base, Ct));
            Describe(import).ShouldBe((ErrorKind.Conflict, 17));
            import.Message.ShouldContain("exists");
            (await Refusal(() => rbd.ImportAsync(Raw, clone, Ct))).ShouldBe((ErrorKind.Conflict, 17));
            (await Refusal(() => rbd.CloneAsync(@base, "snap", clone, Ct))).ShouldBe((ErrorKind.Conflict, 17));
            (await Refusal(() => rbd.CreateSnapshotAsync(@base, "snap", Ct))).ShouldBe((ErrorKind.Conflict, 17));

            (await rbd.InfoAsync(clone, Ct)).Parent.ShouldBe(new RbdParent(Pool, @base, "snap"));
            (await rbd.SnapshotsAsync(@base, Ct)).ShouldBe([new RbdSnapshot("snap", 8 * MiB, IsProtected: true)]);
        });
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scratch.Delete(recursive: true);
        }
    }

    /// <summary>Runs <paramref name="body"/> with a unique base name and a unique clone name (<c>_disk</c>), and removes both (with the base's snapshot <c>snap</c>) whatever the body left.</summary>
    private async Task WithBaseAndCloneNamesAsync(Func<string, string, Task> body)
    {
        var @base = Unique("cbase");
        var clone = Unique("cclone") + "_disk";
        try
        {
            await body(@base, clone);
        }
        finally
        {
            await RemoveQuietlyAsync(clone);
            await RemoveQuietlyAsync(@base, "snap");
        }
    }

    /// <summary>Imports <see cref="Raw"/> as <paramref name="name"/> with snapshot <c>snap</c> protected, as the rbd backend makes a base.</summary>
    private async Task MakeBaseAsync(string name)
    {
        await Rbd.ImportAsync(Raw, name, Ct);
        await Rbd.CreateSnapshotAsync(name, "snap", Ct);
        await Rbd.ProtectSnapshotAsync(name, "snap", Ct);
    }

    private static async Task<(ErrorKind Kind, int Errno)> Refusal(Func<Task> call) =>
        Describe(await Should.ThrowAsync<VireoException>(call));

    private static (ErrorKind Kind, int Errno) Describe(VireoException e) =>
        (e.Kind, e.InnerException.ShouldBeOfType<RbdFailure>().Errno);

    /// <summary>Removes an image (unprotecting and removing its snapshot first) whatever state a failed test left it in.</summary>
    private async Task RemoveQuietlyAsync(string image, string? snapshot = null)
    {
        var rbd = Rbd;
        foreach (var step in new Func<Task>[]
        {
            () => snapshot is null ? Task.CompletedTask : rbd.UnprotectSnapshotAsync(image, snapshot, CancellationToken.None),
            () => snapshot is null ? Task.CompletedTask : rbd.RemoveSnapshotAsync(image, snapshot, CancellationToken.None),
            () => rbd.RemoveAsync(image, CancellationToken.None),
        })
        {
            try
            {
                await step();
            }
            catch (VireoException)
            {
                // absent, or already in the state this step makes
            }
        }
    }
}
