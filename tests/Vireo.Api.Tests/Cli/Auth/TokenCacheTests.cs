using Microsoft.Extensions.Time.Testing;
using Vireo.Cli.Client.Auth;
using Vireo.Cli.Client.Keystone;
using CatalogEndpoint = Vireo.Identity.CatalogEndpoint;
using CatalogService = Vireo.Identity.CatalogService;

namespace Vireo.Api.Tests.Cli.Auth;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TokenCacheTests : IDisposable
{
    private static readonly KeystoneScope Scope = new(new Uri("http://k:5000/v3"), new NamedInDomain(null, "demo", "default", null), null, "public");
    private static readonly ClientCredentials.KeystonePassword Alice = new(Scope, new NamedInDomain(null, "alice", "default", null), new Secret("pw"), "env", "OS_PASSWORD");

    private readonly string _root = Directory.CreateTempSubdirectory("vireo-token-cache-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly List<string> _notes = [];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string CacheDir => Path.Combine(_root, "cache", "vireo");

    private TokenCache Cache() => new(CacheDir, _clock);

    private IssuedToken Token(string value, TimeSpan lifetime) =>
        new(new Secret(value), _clock.GetUtcNow() + lifetime, [new CatalogService("compute", [new CatalogEndpoint("public", "RegionOne", null, "http://v:8774/v2.1")])]);

    [Fact]
    public void A_written_token_is_read_back_with_its_catalog_until_60_s_before_expiry()
    {
        var key = TokenCache.KeyOf(Alice);
        Cache().Write(key, Token("tok-1", TimeSpan.FromMinutes(10)), _notes.Add);

        Cache().Read(key, _notes.Add)!.Token.Reveal().ShouldBe("tok-1");
        Cache().Read(key, _notes.Add)!.Catalog.ShouldHaveSingleItem().Endpoints![0].Url.ShouldBe("http://v:8774/v2.1");
        _clock.Advance(TimeSpan.FromMinutes(9) - TimeSpan.FromSeconds(1));
        Cache().Read(key, _notes.Add).ShouldNotBeNull();
        _clock.Advance(TimeSpan.FromSeconds(1));
        Cache().Read(key, _notes.Add).ShouldBeNull();
        _notes.ShouldBeEmpty();
    }

    [Fact]
    public void The_directory_is_0700_and_the_file_0600_with_no_temporary_left()
    {
        var key = TokenCache.KeyOf(Alice);
        Directory.CreateDirectory(CacheDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        Cache().Write(key, Token("tok", TimeSpan.FromHours(1)), _notes.Add);

        File.GetUnixFileMode(CacheDir).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.GetUnixFileMode(Path.Combine(CacheDir, key)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(CacheDir).ShouldBe([Path.Combine(CacheDir, key)]);
    }

    [Fact]
    public void A_second_write_replaces_the_first()
    {
        var key = TokenCache.KeyOf(Alice);
        Cache().Write(key, Token("old", TimeSpan.FromHours(1)), _notes.Add);
        Cache().Write(key, Token("new", TimeSpan.FromHours(1)), _notes.Add);

        Cache().Read(key, _notes.Add)!.Token.Reveal().ShouldBe("new");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"token\": \"\", \"expires_at\": \"2030-01-01T00:00:00Z\", \"catalog\": []}")]
    [InlineData("{\"token\": 5}")]
    [InlineData("null")]
    public void A_corrupt_file_is_ignored_with_a_note(string content)
    {
        var key = TokenCache.KeyOf(Alice);
        Directory.CreateDirectory(CacheDir);
        File.WriteAllText(Path.Combine(CacheDir, key), content);

        Cache().Read(key, _notes.Add).ShouldBeNull();

        _notes.ShouldHaveSingleItem().ShouldContain("is ignored and replaced");
    }

    [Fact]
    public void Drop_forgets_the_token()
    {
        var key = TokenCache.KeyOf(Alice);
        Cache().Write(key, Token("tok", TimeSpan.FromHours(1)), _notes.Add);

        Cache().Drop(key);

        Cache().Read(key, _notes.Add).ShouldBeNull();
        _notes.ShouldBeEmpty();
    }

    [Fact]
    public void The_key_differs_per_auth_url_user_project_and_domain_and_holds_no_secret()
    {
        var keys = new[]
        {
            TokenCache.KeyOf(Alice),
            TokenCache.KeyOf(Alice with { Scope = Scope with { AuthUrl = new Uri("http://other:5000/v3") } }),
            TokenCache.KeyOf(Alice with { User = Alice.User with { Name = "bob" } }),
            TokenCache.KeyOf(Alice with { User = Alice.User with { DomainId = "d2" } }),
            TokenCache.KeyOf(Alice with { Scope = Scope with { Project = Scope.Project with { Name = "other" } } }),
            TokenCache.KeyOf(Alice with { Scope = Scope with { Project = Scope.Project with { DomainId = "d2" } } }),
        };

        keys.Distinct().Count().ShouldBe(keys.Length);
        TokenCache.KeyOf(Alice with { Password = new Secret("another") }).ShouldBe(keys[0]);
        keys[0].ShouldNotContain("alice");
    }

    [Fact]
    public void The_directory_follows_XDG_CACHE_HOME_else_HOME()
    {
        TokenCache.DirectoryFor(new Dictionary<string, string> { ["XDG_CACHE_HOME"] = "/x/cache", ["HOME"] = "/home/u" }).ShouldBe("/x/cache/vireo");
        TokenCache.DirectoryFor(new Dictionary<string, string> { ["XDG_CACHE_HOME"] = "relative", ["HOME"] = "/home/u" }).ShouldBe("/home/u/.cache/vireo");
        TokenCache.DirectoryFor(new Dictionary<string, string> { ["HOME"] = "/home/u" }).ShouldBe("/home/u/.cache/vireo");
    }

    [Fact]
    public void An_unwritable_cache_is_a_note_not_a_failure()
    {
        var blocker = Path.Combine(_root, "file");
        File.WriteAllText(blocker, "x");
        var cache = new TokenCache(Path.Combine(blocker, "vireo"), _clock);

        cache.Write(TokenCache.KeyOf(Alice), Token("tok", TimeSpan.FromHours(1)), _notes.Add);

        _notes.ShouldHaveSingleItem().ShouldContain("cannot be kept");
    }
}
