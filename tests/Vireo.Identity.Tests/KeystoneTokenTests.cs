using Vireo.Identity;

namespace Vireo.Identity.Tests;

public sealed class KeystoneTokenTests
{
    [Fact]
    public void A_project_scoped_token_gives_user_project_role_names_and_expiry()
    {
        var token = KeystoneToken.Parse("""
            {"token": {"methods": ["password"], "user": {"id": "u1", "name": "alice", "domain": {"id": "default", "name": "Default"}},
             "project": {"id": "p1", "name": "demo", "domain": {"id": "default"}},
             "roles": [{"id": "r1", "name": "member"}, {"id": "r2", "name": "reader"}],
             "expires_at": "2026-12-08T00:14:04.000000Z", "issued_at": "2026-12-07T23:14:04.000000Z", "audit_ids": ["x"]}}
            """, out var problem);

        problem.ShouldBeNull();
        token.ShouldNotBeNull();
        token.UserId.ShouldBe("u1");
        token.ProjectId.ShouldBe("p1");
        token.Roles.ShouldBe(["member", "reader"]);
        token.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 12, 8, 0, 14, 4, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("""{"token": {"user": {"id": "u1"}, "expires_at": "2026-12-08T00:14:04.000000Z"}}""")]
    [InlineData("""{"token": {"user": {"id": "u1"}, "domain": {"id": "default", "name": "Default"}, "roles": [{"name": "admin"}], "expires_at": "2026-12-08T00:14:04Z"}}""")]
    [InlineData("""{"token": {"user": {"id": "u1"}, "system": {"all": true}, "expires_at": "2026-12-08T00:14:04Z"}}""")]
    public void Unscoped_domain_and_system_tokens_have_no_project(string json)
    {
        var token = KeystoneToken.Parse(json, out _);

        token.ShouldNotBeNull();
        token.ProjectId.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"token": {"expires_at": "2026-12-08T00:14:04Z"}}""", "no user id")]
    [InlineData("""{"token": {"user": {"id": "u1"}, "expires_at": "tomorrow"}}""", "expires_at 'tomorrow'")]
    [InlineData("""{"token": {"user": {"id": "u1"}}}""", "expires_at ''")]
    [InlineData("""{"nottoken": {}}""", "no token object")]
    [InlineData("""not json""", "not JSON")]
    public void A_body_without_what_is_needed_is_refused_with_the_reason(string json, string reason)
    {
        KeystoneToken.Parse(json, out var problem).ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain(reason);
    }

    [Theory]
    [InlineData("gAAAAABrFyabcdefgh", "gAAAAABr")]
    [InlineData("short", "short")]
    [InlineData("ab\ncd\u00e9fghijk", "ab?cd?fg")]
    public void A_token_is_shown_by_its_first_8_printable_characters(string token, string shown)
    {
        TokenText.Prefix(token).ShouldBe(shown);
    }
}
