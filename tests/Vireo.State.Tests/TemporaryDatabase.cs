namespace Vireo.State.Tests;

/// <summary>A database file in a fresh directory, removed afterwards.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    private readonly List<SqliteStore> _opened = [];

    public TemporaryDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "vireo-state-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        FilePath = Path.Combine(Directory, "vireo.sqlite");
    }

    public string Directory { get; }

    public string FilePath { get; }

    public SqliteStore Open(TimeSpan? busyTimeout = null)
    {
        var store = SqliteStore.Open(FilePath, busyTimeout);
        _opened.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
