using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vireo.Identity;
using Vireo.Testing.Fakes;

namespace Vireo.Identity.Tests;

public sealed class KeystoneClientTests
{
    private static readonly Uri AuthUrl = new("http://127.0.0.1:5000");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 22, 0, 0, TimeSpan.Zero));

    private static PasswordCredentials Nova(string password = "service-secret") =>
        new(FakeKeystone.ServiceUser, password, KeystoneDomain.ByName("Default"), FakeKeystone.ServiceProject, KeystoneDomain.ByName("Default"));

    private static KeystoneClient Client(HttpMessageHandler handler, TimeSpan? timeout = null) =>
        new(new HttpClient(handler), AuthUrl, timeout ?? TimeSpan.FromSeconds(5));

    [Theory]
    [InlineData("http://k:5000", "http://k:5000/v3/auth/tokens")]
    [InlineData("http://k:5000/", "http://k:5000/v3/auth/tokens")]
    [InlineData("http://k:5000/v3", "http://k:5000/v3/auth/tokens")]
    [InlineData("http://k:5000/v3/", "http://k:5000/v3/auth/tokens")]
    [InlineData("http://k/identity", "http://k/identity/v3/auth/tokens")]
    [InlineData("http://k/identity/v3", "http://k/identity/v3/auth/tokens")]
    public void The_tokens_url_is_under_v3_whether_auth_url_names_it_or_not(string authUrl, string expected)
    {
        new KeystoneClient(new HttpClient(), new Uri(authUrl), TimeSpan.FromSeconds(1)).TokensUrl.ToString().ShouldBe(expected);
    }

    [Fact]
    public async Task Issuing_sends_a_password_authentication_scoped_to_the_project_and_reads_the_subject_token()
    {
        using var keystone = new FakeKeystone(time);

        var reply = await Client(keystone).IssueTokenAsync(Nova(), TestContext.Current.CancellationToken);

        var issued = reply.ShouldBeOfType<KeystoneReply<IssuedToken>.Answered>().Value;
        issued.Value.ShouldStartWith("gAAAAABs");
        issued.Token.ProjectId.ShouldBe(FakeKeystone.ServiceProjectId);
        issued.Token.ExpiresAt.ShouldBe(time.GetUtcNow() + TimeSpan.FromHours(1));
        issued.ToString().ShouldNotContain(issued.Value, customMessage: "the token itself is never shown whole");
        using var body = JsonDocument.Parse(keystone.LastIssueBody!);
        var auth = body.RootElement.GetProperty("auth");
        auth.GetProperty("identity").GetProperty("methods")[0].GetString().ShouldBe("password");
        auth.GetProperty("scope").GetProperty("project").GetProperty("domain").GetProperty("name").GetString().ShouldBe("Default");
        keystone.Calls.ShouldBe(["POST /v3/auth/tokens"]);
    }

    [Fact]
    public async Task A_domain_given_by_id_is_sent_by_id_alone()
    {
        using var keystone = new FakeKeystone(time);
        var credentials = new PasswordCredentials(FakeKeystone.ServiceUser, "service-secret", KeystoneDomain.ById("default"), FakeKeystone.ServiceProject, KeystoneDomain.ById("default"));

        (await Client(keystone).IssueTokenAsync(credentials, TestContext.Current.CancellationToken)).ShouldBeOfType<KeystoneReply<IssuedToken>.Answered>();

        using var body = JsonDocument.Parse(keystone.LastIssueBody!);
        var domain = body.RootElement.GetProperty("auth").GetProperty("identity").GetProperty("password").GetProperty("user").GetProperty("domain");
        domain.GetProperty("id").GetString().ShouldBe("default");
        domain.TryGetProperty("name", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_refused_password_is_a_refusal_with_keystones_message()
    {
        using var keystone = new FakeKeystone(time);

        var reply = await Client(keystone).IssueTokenAsync(Nova("wrong"), TestContext.Current.CancellationToken);

        var refused = reply.ShouldBeOfType<KeystoneReply<IssuedToken>.Refused>();
        refused.Status.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Detail.ShouldBe("The request you have made requires authentication.");
    }

    [Fact]
    public async Task An_answer_without_the_subject_token_header_is_no_answer()
    {
        using var keystone = new FakeKeystone(time)
        {
            Override = _ => new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent("""{"token":{"user":{"id":"u"},"expires_at":"2030-01-01T00:00:00.000000Z"}}""") },
        };

        var reply = await Client(keystone).IssueTokenAsync(Nova(), TestContext.Current.CancellationToken);

        reply.ShouldBeOfType<KeystoneReply<IssuedToken>.Unreachable>().Reason.ShouldContain("X-Subject-Token");
    }

    [Fact]
    public async Task Validation_sends_the_service_token_and_the_subject_token_and_reads_the_caller()
    {
        using var keystone = new FakeKeystone(time);
        var client = Client(keystone);
        var service = ((KeystoneReply<IssuedToken>.Answered)await client.IssueTokenAsync(Nova(), TestContext.Current.CancellationToken)).Value;
        var token = keystone.AddToken("alice", "project-a", ["member", "reader"], TimeSpan.FromHours(1));

        var reply = await client.ValidateTokenAsync(service.Value, token, TestContext.Current.CancellationToken);

        var caller = reply.ShouldBeOfType<KeystoneReply<KeystoneToken>.Answered>().Value;
        caller.UserId.ShouldBe("alice");
        caller.ProjectId.ShouldBe("project-a");
        caller.Roles.ShouldBe(["member", "reader"]);
        caller.ExpiresAt.ShouldBe(time.GetUtcNow().AddHours(1));
        keystone.Calls.ShouldBe(["POST /v3/auth/tokens", "GET /v3/auth/tokens"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, typeof(KeystoneReply<KeystoneToken>.Refused))]
    [InlineData(HttpStatusCode.Unauthorized, typeof(KeystoneReply<KeystoneToken>.Refused))]
    [InlineData(HttpStatusCode.Forbidden, typeof(KeystoneReply<KeystoneToken>.Refused))]
    [InlineData(HttpStatusCode.BadRequest, typeof(KeystoneReply<KeystoneToken>.Refused))]
    [InlineData(HttpStatusCode.InternalServerError, typeof(KeystoneReply<KeystoneToken>.Unreachable))]
    [InlineData(HttpStatusCode.BadGateway, typeof(KeystoneReply<KeystoneToken>.Unreachable))]
    [InlineData(HttpStatusCode.ServiceUnavailable, typeof(KeystoneReply<KeystoneToken>.Unreachable))]
    public async Task Each_status_has_its_outcome(HttpStatusCode status, Type expected)
    {
        using var keystone = new FakeKeystone(time) { Override = _ => FakeKeystone.Error(status, "said no") };

        var reply = await Client(keystone).ValidateTokenAsync("service", "subject", TestContext.Current.CancellationToken);

        reply.ShouldBeOfType(expected);
        reply.ToString().ShouldContain("said no");
    }

    [Fact]
    public async Task A_refusal_quoting_the_tokens_passes_on_only_their_first_characters()
    {
        using var keystone = new FakeKeystone(time)
        {
            Override = _ => FakeKeystone.Error(HttpStatusCode.NotFound, "Could not find token: gAAAAABsubject-secret (asked by gAAAAABservice-secret)."),
        };

        var reply = await Client(keystone).ValidateTokenAsync("gAAAAABservice-secret", "gAAAAABsubject-secret", TestContext.Current.CancellationToken);

        reply.ShouldBeOfType<KeystoneReply<KeystoneToken>.Refused>().Detail.ShouldBe("Could not find token: gAAAAABs… (asked by gAAAAABs…).");
    }

    [Fact]
    public async Task A_refused_connection_is_no_answer_with_the_reason()
    {
        using var keystone = new FakeKeystone(time) { Failure = new HttpRequestException("Connection refused (127.0.0.1:5000)", new SocketException((int)SocketError.ConnectionRefused)) };

        var reply = await Client(keystone).ValidateTokenAsync("service", "subject", TestContext.Current.CancellationToken);

        reply.ShouldBeOfType<KeystoneReply<KeystoneToken>.Unreachable>().Reason.ShouldContain("Connection refused");
    }

    [Fact]
    public async Task A_call_that_takes_longer_than_the_timeout_is_no_answer()
    {
        using var handler = new SlowHandler();

        var reply = await Client(handler, TimeSpan.FromMilliseconds(100)).ValidateTokenAsync("service", "subject", TestContext.Current.CancellationToken);

        reply.ShouldBeOfType<KeystoneReply<KeystoneToken>.Unreachable>().Reason.ShouldBe("no answer within 0.1 s");
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_taken_for_an_outage()
    {
        using var handler = new SlowHandler();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Should.ThrowAsync<OperationCanceledException>(() => Client(handler, TimeSpan.FromSeconds(30)).ValidateTokenAsync("service", "subject", cancel.Token));
    }

    [Fact]
    public async Task A_success_that_is_not_a_token_is_no_answer()
    {
        using var keystone = new FakeKeystone(time) { Override = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy</html>") } };

        var reply = await Client(keystone).ValidateTokenAsync("service", "subject", TestContext.Current.CancellationToken);

        reply.ShouldBeOfType<KeystoneReply<KeystoneToken>.Unreachable>().Reason.ShouldContain("not a token");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(KeystoneClient.Attempts - 1)]
    public async Task An_answer_cut_short_is_asked_again_and_the_second_answer_counts(int cutShort)
    {
        using var keystone = new FakeKeystone(time);
        using var handler = new CutShortHandler(keystone, cutShort);

        var issued = await Client(handler).IssueTokenAsync(Nova(), TestContext.Current.CancellationToken);
        var validated = await Client(new CutShortHandler(keystone, cutShort)).ValidateTokenAsync(
            issued.ShouldBeOfType<KeystoneReply<IssuedToken>.Answered>().Value.Value, issued.ShouldBeOfType<KeystoneReply<IssuedToken>.Answered>().Value.Value, TestContext.Current.CancellationToken);

        validated.ShouldBeOfType<KeystoneReply<KeystoneToken>.Answered>();
        handler.Sent.ShouldBe(cutShort + 1);
    }

    [Fact]
    public async Task An_answer_cut_short_every_time_is_no_answer_after_the_last_attempt()
    {
        using var keystone = new FakeKeystone(time);
        using var handler = new CutShortHandler(keystone, int.MaxValue);

        var reply = await Client(handler).IssueTokenAsync(Nova(), TestContext.Current.CancellationToken);

        reply.ShouldBeOfType<KeystoneReply<IssuedToken>.Unreachable>().Reason.ShouldContain("ended prematurely");
        handler.Sent.ShouldBe(KeystoneClient.Attempts);
    }

    [Fact]
    public async Task A_refused_connection_is_not_asked_again()
    {
        using var keystone = new FakeKeystone(time) { Failure = new HttpRequestException("Connection refused (127.0.0.1:5000)", new SocketException((int)SocketError.ConnectionRefused)) };
        using var counting = new CutShortHandler(keystone, 0);

        (await Client(counting).IssueTokenAsync(Nova(), TestContext.Current.CancellationToken)).ShouldBeOfType<KeystoneReply<IssuedToken>.Unreachable>();

        counting.Sent.ShouldBe(1);
    }

    /// <summary>Ends the first answers prematurely (as keystone-wsgi-public now and then does), then passes requests on.</summary>
    private sealed class CutShortHandler(HttpMessageHandler keystone, int cutShort) : DelegatingHandler(new NonDisposing(keystone))
    {
        public int Sent { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent++;
            return Sent <= cutShort
                ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "An error occurred while sending the request.", new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely. (ResponseEnded)"))
                : base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class NonDisposing(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // The fake Keystone belongs to the test.
        }
    }

    private sealed class SlowHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
