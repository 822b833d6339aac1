using System.Net;
using System.Text;
using System.Text.Json;
using Vireo.Testing.Fakes;

namespace Vireo.Identity.Tests;

/// <summary>Issuing with the token method, users and projects by id, and the catalog that comes with a token.</summary>
public sealed class TokenRequestTests
{
    private static readonly Uri AuthUrl = new("http://k:5000/v3");

    private static HttpResponseMessage Issued(string token)
    {
        const string body = """
            {"token": {"methods": ["token"], "expires_at": "2026-12-08T01:02:03.000000Z",
              "user": {"id": "u1", "name": "alice", "domain": {"id": "default", "name": "Default"}},
              "project": {"id": "p1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
              "roles": [{"id": "r1", "name": "member"}],
              "catalog": [
                {"type": "identity", "name": "keystone", "endpoints": [{"interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "http://k:5000/v3"}]},
                {"type": "compute", "name": "nova", "endpoints": [
                  {"interface": "admin", "region_id": "RegionOne", "region": "RegionOne", "url": "http://admin.lab:8774/v2.1"},
                  {"interface": "public", "region_id": null, "region": "RegionTwo", "url": "http://two.lab:8774/v2.1"}]}]}}
            """;
        var response = new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        response.Headers.Add(KeystoneClient.SubjectTokenHeader, token);
        return response;
    }

    private static async Task<(KeystoneReply<IssuedToken> Reply, FakeHttpHandler Keystone)> IssueAsync(TokenRequest request, Func<FakeHttpHandler.Recorded, HttpResponseMessage> respond)
    {
        var keystone = new FakeHttpHandler { Respond = respond };
        using var http = new HttpClient(keystone.Shared());
        var reply = await new KeystoneClient(http, AuthUrl, TimeSpan.FromSeconds(5)).IssueTokenAsync(request, TestContext.Current.CancellationToken);
        return (reply, keystone);
    }

    [Fact]
    public async Task The_token_method_sends_the_token_and_a_project_by_id_and_reads_the_catalog()
    {
        var request = new TokenRequest(new AuthMethod.Token("old-token"), KeystoneRef.ById("p1"), IncludeCatalog: true);

        var (reply, keystone) = await IssueAsync(request, _ => Issued("new-token"));

        var issued = reply.ShouldBeOfType<KeystoneReply<IssuedToken>.Answered>().Value;
        issued.Value.ShouldBe("new-token");
        issued.Token.UserId.ShouldBe("u1");
        issued.Token.ProjectId.ShouldBe("p1");
        issued.Token.Roles.ShouldBe(["member"]);
        issued.Catalog.Select(s => s.Type).ShouldBe(["identity", "compute"]);
        issued.Catalog[1].Endpoints.ShouldBe(
        [
            new CatalogEndpoint("admin", "RegionOne", "RegionOne", "http://admin.lab:8774/v2.1"),
            new CatalogEndpoint("public", null, "RegionTwo", "http://two.lab:8774/v2.1"),
        ]);
        var sent = keystone.Requests.ShouldHaveSingleItem();
        sent.Url.ShouldBe(new Uri("http://k:5000/v3/auth/tokens"), "the catalog was asked for: no ?nocatalog");
        using var body = JsonDocument.Parse(sent.Body!);
        var auth = body.RootElement.GetProperty("auth");
        auth.GetProperty("identity").GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["token"]);
        auth.GetProperty("identity").GetProperty("token").GetProperty("id").GetString().ShouldBe("old-token");
        auth.GetProperty("identity").TryGetProperty("password", out _).ShouldBeFalse();
        var project = auth.GetProperty("scope").GetProperty("project");
        project.GetProperty("id").GetString().ShouldBe("p1");
        project.TryGetProperty("name", out _).ShouldBeFalse();
        project.TryGetProperty("domain", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_user_by_id_is_sent_without_name_or_domain_and_a_project_name_with_its_domain_id()
    {
        var request = new TokenRequest(new AuthMethod.Password(KeystoneRef.ById("u1"), "pa55"), KeystoneRef.ByName("demo", KeystoneDomain.ById("default")), IncludeCatalog: false);

        var (reply, keystone) = await IssueAsync(request, _ => Issued("t"));

        reply.ShouldBeOfType<KeystoneReply<IssuedToken>.Answered>();
        keystone.Requests[0].Url.Query.ShouldBe("?nocatalog");
        using var body = JsonDocument.Parse(keystone.Requests[0].Body!);
        var user = body.RootElement.GetProperty("auth").GetProperty("identity").GetProperty("password").GetProperty("user");
        user.GetProperty("id").GetString().ShouldBe("u1");
        user.GetProperty("password").GetString().ShouldBe("pa55");
        user.TryGetProperty("name", out _).ShouldBeFalse();
        user.TryGetProperty("domain", out _).ShouldBeFalse();
        var project = body.RootElement.GetProperty("auth").GetProperty("scope").GetProperty("project");
        project.GetProperty("name").GetString().ShouldBe("demo");
        project.GetProperty("domain").GetProperty("id").GetString().ShouldBe("default");
        project.GetProperty("domain").TryGetProperty("name", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_name_without_a_domain_is_sent_without_one()
    {
        var request = new TokenRequest(new AuthMethod.Password(KeystoneRef.ByName("alice", null), "pa55"), KeystoneRef.ByName("demo", null), IncludeCatalog: false);

        var (_, keystone) = await IssueAsync(request, _ => Issued("t"));

        using var body = JsonDocument.Parse(keystone.Requests[0].Body!);
        body.RootElement.GetProperty("auth").GetProperty("identity").GetProperty("password").GetProperty("user").TryGetProperty("domain", out _).ShouldBeFalse();
        body.RootElement.GetProperty("auth").GetProperty("scope").GetProperty("project").TryGetProperty("domain", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_refusal_quoting_the_token_sent_shows_only_its_prefix()
    {
        var request = new TokenRequest(new AuthMethod.Token("gAAAAABsecret-token-value"), KeystoneRef.ById("p1"), IncludeCatalog: true);

        var (reply, _) = await IssueAsync(request, _ => FakeKeystone.Error(HttpStatusCode.NotFound, "Could not find token: gAAAAABsecret-token-value."));

        var refused = reply.ShouldBeOfType<KeystoneReply<IssuedToken>.Refused>();
        refused.Status.ShouldBe(HttpStatusCode.NotFound);
        refused.Detail.ShouldNotContain("gAAAAABsecret-token-value");
        refused.Detail.ShouldContain("gAAAAABs…");
    }

    [Fact]
    public async Task Failures_say_their_cause()
    {
        var request = new TokenRequest(new AuthMethod.Token("t0"), KeystoneRef.ById("p1"), IncludeCatalog: true);

        var (serverError, _) = await IssueAsync(request, _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        var (noToken, _) = await IssueAsync(request, _ =>
        {
            var response = Issued("t");
            response.Headers.Remove(KeystoneClient.SubjectTokenHeader);
            return response;
        });
        var keystone = new FakeHttpHandler { Unreachable = true };
        using var http = new HttpClient(keystone.Shared());
        var noConnection = await new KeystoneClient(http, AuthUrl, TimeSpan.FromSeconds(5)).IssueTokenAsync(request, TestContext.Current.CancellationToken);

        serverError.ShouldBeOfType<KeystoneReply<IssuedToken>.Unreachable>().Cause.ShouldBe(UnreachableCause.ServerError);
        noToken.ShouldBeOfType<KeystoneReply<IssuedToken>.Unreachable>().Cause.ShouldBe(UnreachableCause.NotAToken);
        noConnection.ShouldBeOfType<KeystoneReply<IssuedToken>.Unreachable>().Cause.ShouldBe(UnreachableCause.Connection);
    }

    [Fact]
    public void Methods_and_requests_never_show_the_secret()
    {
        var password = new TokenRequest(new AuthMethod.Password(KeystoneRef.ByName("alice", KeystoneDomain.ByName("Default")), "pa55-word"), KeystoneRef.ById("p1"), IncludeCatalog: true);
        var token = new AuthMethod.Token("gAAAAABsecret-token-value");

        password.ToString().ShouldBe("password of user alice (domain Default) in project p1");
        token.ToString().ShouldNotContain("secret-token-value");
    }

    [Fact]
    public void A_reference_needs_an_id_or_a_name()
    {
        Should.Throw<ArgumentException>(() => KeystoneRef.ById(""));
        Should.Throw<ArgumentException>(() => KeystoneRef.ByName("", null));
    }
}
