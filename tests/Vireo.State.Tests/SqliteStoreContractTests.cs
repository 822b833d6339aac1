using Vireo.Core.Ports;
using Vireo.Testing.Contracts;

namespace Vireo.State.Tests;

/// <summary>
/// The SQLite store, on a fresh database file per test, keeps the contract the in-memory store is held
/// to (tests/Vireo.Core.Tests/FakeContractTests.cs). A PostgreSQL store joins by deriving the same contract.
/// </summary>
public sealed class SqliteStoreContractTests : StoreContract, IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly SqliteStore _store;

    public SqliteStoreContractTests()
    {
        _store = _database.Open();
    }

    protected override IInstanceStore Instances => _store.Instances;

    protected override IFlavorStore Flavors => _store.Flavors;

    protected override IImageRegistry Images => _store.Images;

    public void Dispose() => _database.Dispose();
}
