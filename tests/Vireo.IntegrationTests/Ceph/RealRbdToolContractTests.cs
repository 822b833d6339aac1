using Vireo.Storage.Rbd;
using Vireo.Testing.Contracts;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// The real rbd on the test cluster keeps the rbd tool contract that the fake rbd of the unit tests
/// (tests/Vireo.Testing/Fakes/FakeRbdTool) is held to (tests/Vireo.Storage.Tests/RbdToolContractTests).
/// </summary>
[Collection(CephCollection.Name)]
public sealed class RealRbdToolContractTests(CephClusterFixture cluster) : RbdToolContract
{
    protected override RbdClient Rbd { get; } = cluster.Client();
}
