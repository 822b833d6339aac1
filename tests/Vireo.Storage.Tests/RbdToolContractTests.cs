using Vireo.Storage.Rbd;
using Vireo.Testing.Contracts;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests;

/// <summary>
/// The fake rbd the rbd backend and base cache tests use keeps the rbd tool contract that the real
/// rbd keeps on the test cluster (tests/Vireo.IntegrationTests/Ceph/RealRbdToolContractTests).
/// </summary>
public sealed class FakeRbdToolContractTests : RbdToolContract
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vireo-fake-rbd-");

    public FakeRbdToolContractTests()
    {
        Fake = FakeRbdTool.In(_dir.FullName);
        Rbd = Fake.Client();
    }

    internal FakeRbdTool Fake { get; }

    protected override RbdClient Rbd { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _dir.Delete(recursive: true);
    }
}

/// <summary>
/// The rbd tool contract is not vacuous: a fake that unprotects a snapshot with clones, one that
/// removes a protected snapshot and one that clones an unprotected snapshot (what the two fakes this
/// one replaced did) each fail the assertion that names it. The wrong fakes are made with
/// <see cref="FakeRbdTool.BeforeCall"/> and are never run as contract suites.
/// </summary>
public sealed class RbdToolContractCatchesWrongFakesTests
{
    [Fact]
    public async Task A_fake_that_unprotects_a_snapshot_with_clones_fails_the_contract()
    {
        using var contract = new FakeRbdToolContractTests();
        contract.Fake.BeforeCall("snap unprotect", """echo unprotected > "$P/$img@$snap"; exit 0""");

        (await FailureOf(contract.Unprotect_is_refused_while_clones_exist_and_accepted_without_then_snap_rm_and_rm_remove_the_base))
            .ShouldBeOfType<ShouldAssertException>();
    }

    [Fact]
    public async Task A_fake_that_removes_a_protected_snapshot_fails_the_contract()
    {
        using var contract = new FakeRbdToolContractTests();
        contract.Fake.BeforeCall("snap rm", """rm -f "$P/$img@$snap"; exit 0""");

        (await FailureOf(contract.Unprotect_is_refused_while_clones_exist_and_accepted_without_then_snap_rm_and_rm_remove_the_base))
            .ShouldBeOfType<ShouldAssertException>();
    }

    [Fact]
    public async Task A_fake_that_clones_an_unprotected_snapshot_fails_the_contract()
    {
        using var contract = new FakeRbdToolContractTests();
        contract.Fake.BeforeCall("clone", """echo protected > "$P/${prev#*/}" """);

        (await FailureOf(contract.A_clone_needs_a_protected_snapshot)).ShouldBeOfType<ShouldAssertException>();
    }

    /// <summary>What the contract assertion threw; Shouldly's own failures pass through Should.ThrowAsync, so they are caught here.</summary>
    private static async Task<Exception?> FailureOf(Func<Task> assertion)
    {
        try
        {
            await assertion();
            return null;
        }
        catch (ShouldAssertException e)
        {
            return e;
        }
    }
}
