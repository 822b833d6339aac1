namespace Vireo.Api;

/// <summary>
/// Reads a server's serial console log (<c>&lt;instances_path&gt;/&lt;uuid&gt;/console.log</c>);
/// the composition root implements it so the API itself opens no files.
/// </summary>
public interface IConsoleLogReader
{
    /// <summary>
    /// The last <paramref name="lines"/> lines of the log (all of it when null), or null when
    /// the server has no log: not yet, or no more (its files removed by a delete while reading).
    /// </summary>
    Task<string?> ReadTailAsync(Guid instanceId, int? lines, CancellationToken cancellationToken);
}
