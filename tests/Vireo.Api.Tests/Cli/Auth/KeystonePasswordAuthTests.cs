using System.Net;
using System.Text.Json;
using Vireo.Cli;
using Vireo.Cli.Client;
using Vireo.Cli.Client.Auth;
using Vireo.Cli.Client.Keystone;
using Vireo.Testing.Fakes;

namespace Vireo.Api.Tests.Cli.Auth;

public sealed class KeystonePasswordAuthTests
{
    private static readonly KeystoneScope Scope = new(new Uri("http://k:5000/v3"), new NamedInDomain(null, "demo", "default", null), null, "public");

    private static readonly ClientCredentials.KeystonePassword Alice = new(
        Scope, new NamedInDomain(null, "alice", null, "Default"), new Secret("pa55-word"), "cloud 'lab' in /c/clouds.yaml", "auth.password of cloud 'lab' in /c/clouds.yaml");

    private static async Task<(IssuedToken? Token, ClientFailure? Failure, FakeHttpHandler Keystone)> IssueAsync(Action<FakeHttpHandler> arrange, ClientCredentials? credentials = null)
    {
        var keystone = new FakeHttpHandler();
        arrange(keystone);
        using var auth = new KeystonePasswordAuth(TimeSpan.FromSeconds(30), keystone.Shared());
        try
        {
            return (await auth.IssueAsync(credentials ?? Alice, TestContext.Current.CancellationToken), null, keystone);
        }
        catch (ClientFailure failure)
        {
            return (null, failure, keystone);
        }
    }

    [Fact]
    public async Task A_201_gives_the_subject_token_its_expiry_and_catalog()
    {
        var expires = new DateTimeOffset(2026, 12, 8, 1, 2, 3, TimeSpan.Zero).AddTicks(4560);
        var (token, _, keystone) = await IssueAsync(k => k.Respond = _ => KeystoneAnswers.Issued("gAAAAAB-issued", expires));

        token.ShouldNotBeNull();
        token.Token.Reveal().ShouldBe("gAAAAAB-issued");
        token.ExpiresAt.ShouldBe(expires);
        token.Catalog.Select(service => service.Type).ShouldBe(["identity", "compute"]);
        var request = keystone.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Url.ShouldBe(new Uri("http://k:5000/v3/auth/tokens"));
        using var body = JsonDocument.Parse(request.Body!);
        var auth = body.RootElement.GetProperty("auth");
        auth.GetProperty("identity").GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["password"]);
        var user = auth.GetProperty("identity").GetProperty("password").GetProperty("user");
        user.GetProperty("name").GetString().ShouldBe("alice");
        user.GetProperty("domain").GetProperty("name").GetString().ShouldBe("Default");
        user.GetProperty("password").GetString().ShouldBe("pa55-word");
        user.TryGetProperty("id", out _).ShouldBeFalse();
        var project = auth.GetProperty("scope").GetProperty("project");
        project.GetProperty("name").GetString().ShouldBe("demo");
        project.GetProperty("domain").GetProperty("id").GetString().ShouldBe("default");
    }

    [Fact]
    public async Task The_token_method_rescopes_a_token()
    {
        var credentials = new ClientCredentials.KeystoneToken(Scope with { Project = new NamedInDomain("p1", null, null, null) }, new Secret("old-token"), "the OS_* environment variables", "OS_TOKEN");

        var (token, _, keystone) = await IssueAsync(k => k.Respond = _ => KeystoneAnswers.Issued("new-token", DateTimeOffset.UtcNow.AddHours(1)), credentials);

        token!.Token.Reveal().ShouldBe("new-token");
        using var body = JsonDocument.Parse(keystone.Requests[0].Body!);
        var identity = body.RootElement.GetProperty("auth").GetProperty("identity");
        identity.GetProperty("methods")[0].GetString().ShouldBe("token");
        identity.GetProperty("token").GetProperty("id").GetString().ShouldBe("old-token");
        body.RootElement.GetProperty("auth").GetProperty("scope").GetProperty("project").GetProperty("id").GetString().ShouldBe("p1");
    }

    [Fact]
    public async Task A_401_is_exit_78_naming_keystone_the_user_the_project_and_where_the_password_came_from()
    {
        var (_, failure, _) = await IssueAsync(k => k.Respond = _ => KeystoneAnswers.Refused());

        failure.ShouldNotBeNull();
        failure.ExitCode.ShouldBe(ExitCodes.Configuration);
        failure.Message.ShouldContain("Keystone at http://k:5000/v3 refused the credentials of user alice (domain Default) in project demo (domain default)");
        failure.Message.ShouldContain("auth.password of cloud 'lab' in /c/clouds.yaml");
        failure.Message.ShouldNotContain("pa55-word");
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task A_5xx_is_exit_69(HttpStatusCode status)
    {
        var (_, failure, _) = await IssueAsync(k => k.Respond = _ => new HttpResponseMessage(status));

        failure!.ExitCode.ShouldBe(ExitCodes.Unavailable);
        failure.Message.ShouldContain($"{(int)status}");
    }

    [Fact]
    public async Task Unreachable_keystone_is_exit_69_naming_it()
    {
        var (_, failure, _) = await IssueAsync(k => k.Unreachable = true);

        failure!.ExitCode.ShouldBe(ExitCodes.Unavailable);
        failure.Message.ShouldContain("Keystone at http://k:5000/v3 is not reachable");
        failure.Message.ShouldNotContain("pa55-word");
    }

    [Fact]
    public async Task A_real_refused_connection_is_exit_69()
    {
        var closed = CliRunner.ClosedAddress();
        using var auth = new KeystonePasswordAuth(TimeSpan.FromSeconds(30));

        var failure = await Should.ThrowAsync<ClientFailure>(() => auth.IssueAsync(Alice with { Scope = Scope with { AuthUrl = new Uri(closed, "/v3") } }, TestContext.Current.CancellationToken));

        failure.ExitCode.ShouldBe(ExitCodes.Unavailable);
    }

    [Fact]
    public async Task A_201_without_the_subject_token_is_not_taken_for_a_token()
    {
        var (_, failure, _) = await IssueAsync(k => k.Respond = _ =>
        {
            var response = KeystoneAnswers.Issued("t", DateTimeOffset.UtcNow.AddHours(1));
            response.Headers.Remove("X-Subject-Token");
            return response;
        });

        failure!.ExitCode.ShouldBe(ExitCodes.Unavailable);
        failure.Message.ShouldContain("X-Subject-Token");
    }

    [Fact]
    public async Task Another_4xx_is_exit_78_asking_to_check_the_names()
    {
        var (_, failure, _) = await IssueAsync(k => k.Respond = _ => new HttpResponseMessage(HttpStatusCode.NotFound));

        failure!.ExitCode.ShouldBe(ExitCodes.Configuration);
        failure.Message.ShouldContain("404");
    }
}
