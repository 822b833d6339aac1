using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vireo.Cli.Client.Auth;

namespace Vireo.Cli.Client.Keystone;

/// <summary>
/// Tokens kept between commands, one file per (auth URL, user, project, domains) under
/// <c>$XDG_CACHE_HOME/vireo</c> (else <c>~/.cache/vireo</c>): the directory mode 0700, each file 0600,
/// written to a temporary name and renamed. A file that cannot be read or parsed is ignored (with a
/// note) and replaced by the next token; a token is used until 60 s before it expires.
/// </summary>
public sealed class TokenCache(string directory, TimeProvider clock)
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode TokenFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Directory { get; } = directory;

    /// <summary>The cache directory for an environment: <c>$XDG_CACHE_HOME/vireo</c> or <c>$HOME/.cache/vireo</c>.</summary>
    public static string DirectoryFor(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.TryGetValue("XDG_CACHE_HOME", out var cache) && Path.IsPathFullyQualified(cache))
        {
            return Path.Combine(cache, "vireo");
        }

        var home = environment.TryGetValue("HOME", out var h) && h.Length > 0 ? h : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "vireo");
    }

    /// <summary>The file name of a credential's tokens: a hash of who, where and which project (no secret in it).</summary>
    public static string KeyOf(ClientCredentials credentials)
    {
        var (scope, who) = credentials switch
        {
            ClientCredentials.KeystonePassword password => (password.Scope, "user " + password.User.Key),
            ClientCredentials.KeystoneToken token => (token.Scope, "token " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token.Token.Reveal())))),
            _ => throw new ArgumentException("only Keystone credentials have tokens", nameof(credentials)),
        };
        var text = $"{scope.AuthUrl.AbsoluteUri}\n{who}\nproject {scope.Project.Key}";
        return "token-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32] + ".json";
    }

    /// <summary>The cached token for <paramref name="key"/> while fresh; null when none, stale or unreadable (the note says why).</summary>
    public IssuedToken? Read(string key, Action<string> note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var path = Path.Combine(Directory, key);
        CachedToken? cached;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            cached = JsonSerializer.Deserialize(File.ReadAllText(path), KeystoneJsonContext.Default.CachedToken);
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
        {
            note($"the cached token {path} cannot be read ({exception.GetType().Name}); it is ignored and replaced by a new one");
            return null;
        }

        if (cached is null || string.IsNullOrEmpty(cached.Token))
        {
            note($"the cached token {path} holds no token; it is ignored and replaced by a new one");
            return null;
        }

        var token = new IssuedToken(new Secret(cached.Token), cached.ExpiresAt, cached.Catalog ?? []);
        return token.IsFreshAt(clock.GetUtcNow()) ? token : null;
    }

    /// <summary>Keeps <paramref name="token"/> for <paramref name="key"/>: a temporary 0600 file renamed over the old one.</summary>
    public void Write(string key, IssuedToken token, Action<string> note)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(note);
        if (OperatingSystem.IsWindows())
        {
            // Unix modes are how the file stays private; vireo runs on Linux hosts only.
            return;
        }

        var path = Path.Combine(Directory, key);
        var temporary = path + string.Create(CultureInfo.InvariantCulture, $".{Environment.ProcessId}.tmp");
        try
        {
            System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
            if ((File.GetUnixFileMode(Directory) & ~DirectoryMode) != 0)
            {
                File.SetUnixFileMode(Directory, DirectoryMode);
            }

            var json = JsonSerializer.Serialize(new CachedToken(token.Token.Reveal(), token.ExpiresAt, token.Catalog), KeystoneJsonContext.Default.CachedToken);
            using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = TokenFileMode }))
            {
                stream.Write(Encoding.UTF8.GetBytes(json));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            note($"the token cannot be kept in {Directory} ({exception.Message}); the next command asks Keystone again");
            Remove(temporary);
        }
    }

    /// <summary>Forgets the token of <paramref name="key"/> (the service refused it).</summary>
    public void Drop(string key) => Remove(Path.Combine(Directory, key));

    private static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left behind: the next read ignores a stale or unreadable file anyway.
            _ = exception;
        }
    }
}
