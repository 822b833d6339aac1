using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vireo.Identity;
using Vireo.Testing.Fakes;

namespace Vireo.Identity.Tests;

public sealed class KeystoneTokenValidatorTests : IDisposable
{
    private static readonly TimeSpan CacheTime = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 22, 0, 0, TimeSpan.Zero));
    private readonly FakeKeystone keystone;
    private readonly ListLoggerProvider logs = new();
    private readonly KeystoneTokenValidator validator;

    public KeystoneTokenValidatorTests()
    {
        keystone = new FakeKeystone(time);
        validator = Validator("service-secret");
    }

    private KeystoneTokenValidator Validator(string password, TimeSpan? cacheTime = null) => new(
        new KeystoneClient(new HttpClient(keystone), new Uri("http://127.0.0.1:5000"), TimeSpan.FromSeconds(5)),
        new PasswordCredentials(FakeKeystone.ServiceUser, password, KeystoneDomain.ByName("Default"), FakeKeystone.ServiceProject, KeystoneDomain.ByName("Default")),
        cacheTime ?? CacheTime, time, logs.CreateLogger("Vireo.Identity"));

    private Task<TokenVerdict> Validate(string token) => validator.ValidateAsync(token, TestContext.Current.CancellationToken);

    public void Dispose()
    {
        validator.Dispose();
        keystone.Dispose();
        logs.Dispose();
    }

    [Fact]
    public async Task A_valid_token_gives_its_user_project_and_roles()
    {
        var token = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(1));

        var verdict = await Validate(token);

        var valid = verdict.ShouldBeOfType<TokenVerdict.Valid>();
        valid.Token.UserId.ShouldBe("alice");
        valid.Token.ProjectId.ShouldBe("project-a");
        valid.Token.Roles.ShouldBe(["member"]);
    }

    [Fact]
    public async Task One_service_token_serves_many_validations_and_a_valid_token_is_asked_about_once_within_the_cache_time()
    {
        var alice = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(1));
        var bob = keystone.AddToken("bob", "project-b", ["member"], TimeSpan.FromHours(1));

        await Validate(alice);
        await Validate(bob);
        time.Advance(CacheTime - TimeSpan.FromSeconds(1));
        (await Validate(alice)).ShouldBeOfType<TokenVerdict.Valid>();

        keystone.Issues.ShouldBe(1);
        keystone.Validations.ShouldBe(2);
    }

    [Fact]
    public async Task A_revoked_token_works_within_the_cache_time_and_not_after()
    {
        var token = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(1));
        await Validate(token);
        keystone.Revoke(token);

        (await Validate(token)).ShouldBeOfType<TokenVerdict.Valid>();
        time.Advance(CacheTime);
        (await Validate(token)).ShouldBeOfType<TokenVerdict.Invalid>().Reason.ShouldContain("Could not find token");
    }

    [Fact]
    public async Task A_cached_token_is_not_accepted_past_its_expiry()
    {
        var token = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromMinutes(1));
        await Validate(token);

        time.Advance(TimeSpan.FromMinutes(1));

        (await Validate(token)).ShouldBeOfType<TokenVerdict.Invalid>();
        keystone.Validations.ShouldBe(2);
    }

    [Fact]
    public async Task An_unknown_token_is_invalid_and_remembered_briefly()
    {
        (await Validate("garbage")).ShouldBeOfType<TokenVerdict.Invalid>();
        (await Validate("garbage")).ShouldBeOfType<TokenVerdict.Invalid>();
        keystone.Validations.ShouldBe(1);

        time.Advance(TokenCachePolicy.InvalidFor);
        await Validate("garbage");
        keystone.Validations.ShouldBe(2);
    }

    [Fact]
    public async Task With_no_cache_time_every_request_asks_keystone()
    {
        using var uncached = Validator("service-secret", TimeSpan.Zero);
        var token = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(1));

        await uncached.ValidateAsync(token, TestContext.Current.CancellationToken);
        await uncached.ValidateAsync(token, TestContext.Current.CancellationToken);

        keystone.Validations.ShouldBe(2);
    }

    [Fact]
    public async Task The_service_token_is_issued_again_before_it_expires()
    {
        keystone.ServiceTokenLifetime = TimeSpan.FromMinutes(10);
        var token = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(2));
        using var uncached = Validator("service-secret", TimeSpan.Zero);
        await uncached.ValidateAsync(token, TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromMinutes(10) - KeystoneTokenValidator.RefreshMargin - TimeSpan.FromSeconds(1));
        await uncached.ValidateAsync(token, TestContext.Current.CancellationToken);
        keystone.Issues.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(1));
        await uncached.ValidateAsync(token, TestContext.Current.CancellationToken);
        keystone.Issues.ShouldBe(2);
    }

    [Fact]
    public async Task A_service_token_keystone_no_longer_accepts_is_replaced_and_the_validation_retried()
    {
        var alice = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(1));
        var bob = keystone.AddToken("bob", "project-b", ["member"], TimeSpan.FromHours(1));
        await Validate(alice);

        keystone.RevokeServiceTokens();

        (await Validate(bob)).ShouldBeOfType<TokenVerdict.Valid>();
        keystone.Issues.ShouldBe(2);
        logs.Entries.ShouldContain(e => e.EventId.Id == 9001);
    }

    [Fact]
    public async Task A_refused_service_password_is_a_refusal_of_the_service_logged_as_an_error_without_the_password()
    {
        using var misconfigured = Validator("wrong-password");
        var token = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(1));

        var verdict = await misconfigured.ValidateAsync(token, TestContext.Current.CancellationToken);

        verdict.ShouldBeOfType<TokenVerdict.ServiceRefused>().Reason.ShouldContain("401");
        var error = logs.Entries.ShouldHaveSingleItem();
        error.Level.ShouldBe(LogLevel.Error);
        error.EventId.Id.ShouldBe(9002);
        error.Message.ShouldContain("username");
        error.Message.ShouldNotContain("wrong-password");
        keystone.Validations.ShouldBe(0);
    }

    [Fact]
    public async Task A_service_user_without_the_right_to_validate_is_a_refusal_of_the_service()
    {
        var token = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(1));
        keystone.Override = r => r.Method == HttpMethod.Get ? FakeKeystone.Error(HttpStatusCode.Forbidden, "You are not authorized") : null;

        (await Validate(token)).ShouldBeOfType<TokenVerdict.ServiceRefused>().Reason.ShouldContain("role");
    }

    [Fact]
    public async Task Keystone_down_is_unavailable_and_not_remembered()
    {
        var token = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(1));
        keystone.Failure = new HttpRequestException("Connection refused (127.0.0.1:5000)");

        (await Validate(token)).ShouldBeOfType<TokenVerdict.IdentityUnavailable>().Reason.ShouldContain("Connection refused");

        keystone.Failure = null;
        (await Validate(token)).ShouldBeOfType<TokenVerdict.Valid>();
    }

    [Fact]
    public async Task A_keystone_5xx_on_validation_is_unavailable_and_a_token_validated_before_still_works_from_the_cache()
    {
        var cached = keystone.AddToken("alice", "project-a", ["member"], TimeSpan.FromHours(1));
        var fresh = keystone.AddToken("bob", "project-b", ["member"], TimeSpan.FromHours(1));
        await Validate(cached);
        keystone.Override = _ => FakeKeystone.Error(HttpStatusCode.InternalServerError, "An unexpected error prevented the server from fulfilling your request.");

        (await Validate(fresh)).ShouldBeOfType<TokenVerdict.IdentityUnavailable>().Reason.ShouldContain("500");
        (await Validate(cached)).ShouldBeOfType<TokenVerdict.Valid>();
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, typeof(TokenVerdict.Invalid))]
    [InlineData(HttpStatusCode.BadRequest, typeof(TokenVerdict.Invalid))]
    [InlineData(HttpStatusCode.Unauthorized, typeof(TokenVerdict.ServiceRefused))]
    [InlineData(HttpStatusCode.Forbidden, typeof(TokenVerdict.ServiceRefused))]
    public void Each_refusal_of_a_validation_has_its_verdict(HttpStatusCode status, Type expected)
    {
        KeystoneTokenValidator.Conclude(new KeystoneReply<KeystoneToken>.Refused(status, "no"), time.GetUtcNow()).ShouldBeOfType(expected);
    }

    [Fact]
    public void A_token_keystone_answers_for_but_which_has_expired_is_invalid()
    {
        var now = time.GetUtcNow();
        KeystoneTokenValidator.Conclude(new KeystoneReply<KeystoneToken>.Answered(new KeystoneToken("u", "p", [], now)), now)
            .ShouldBeOfType<TokenVerdict.Invalid>().Reason.ShouldContain("expired");
    }
}
