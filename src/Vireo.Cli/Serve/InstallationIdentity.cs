using System.Globalization;

namespace Vireo.Cli.Serve;

/// <summary>
/// The id written into every domain's metadata. [vireo] installation_id wins; otherwise one is
/// generated on first start and kept in state_path, so a restart recognises its own domains.
/// </summary>
public static class InstallationIdentity
{
    public const string FileName = "installation-id";

    public static string Resolve(string? configured, string statePath)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }
        var path = Path.Combine(statePath, FileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }
        Directory.CreateDirectory(statePath);
        var id = Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture);
        var temp = path + ".tmp";
        File.WriteAllText(temp, id + "\n");
        File.Move(temp, path, overwrite: true);
        return id;
    }

    /// <summary>The id a running service uses, for client-side tools; null before the first start.</summary>
    public static string? Read(string? configured, string statePath)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }
        var path = Path.Combine(statePath, FileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
