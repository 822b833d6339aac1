using System.Net;
using Microsoft.Extensions.Logging;

namespace Vireo.Api.Tests;

public sealed class ErrorBodyTests
{
    [Theory]
    [InlineData("""{"server": {"name": "web1",""", "not valid JSON at line 1")]
    [InlineData("", "the request body is empty")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("""{"srv": {}}""", "has no 'server'")]
    [InlineData("""{"server": "web1"}""", "'server' must be an object")]
    [InlineData("""{"server": {"name": 5, "imageRef": "x", "flavorRef": "1"}}""", "'server.name' must be a string, got 5")]
    [InlineData("""{"server": {"name": "web1", "imageRef": ["x"], "flavorRef": "1"}}""", "'server.imageRef' must be an id (a string), got an array")]
    [InlineData("""{"server": {"name": "a", "name": "b"}}""", "not valid JSON")]
    public async Task Malformed_create_bodies_are_a_400_with_a_sentence_naming_the_field(string json, string message)
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.PostAsync("/v2.1/servers", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBeFault("badRequest", 400).ShouldContain(message);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_by_its_media_type_is_a_415_badMediaType()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.SendAsync(HttpMethod.Post, "/v2.1/servers", "name=web1", "application/x-www-form-urlencoded");

        status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        body.ShouldBeFault("badMediaType", 415);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_computeFault_without_a_stack_trace_and_is_logged()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Flavors.Failures.FailOn("Flavor.ListAsync", () => new InvalidOperationException("secret internal detail"));

        var (status, body, response) = await api.GetAsync("/v2.1/flavors");

        status.ShouldBe(HttpStatusCode.InternalServerError);
        var message = body.ShouldBeFault("computeFault", 500);
        message.ShouldNotContain("secret internal detail");
        message.ShouldNotContain(" at ");
        var requestId = response.Headers.GetValues("x-openstack-request-id").Single();
        message.ShouldContain(requestId);
        api.Fakes.Logs.Entries.ShouldContain(entry => entry.Level == LogLevel.Error && entry.Exception is InvalidOperationException && entry.Message.Contains(requestId));
    }

    [Fact]
    public async Task A_service_failure_of_kind_Unavailable_is_a_503_serviceUnavailable()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Flavors.Failures.FailOn("Flavor.ListAsync", () => new Vireo.Core.VireoException(Vireo.Core.ErrorKind.Unavailable, "the database is not reachable"));

        var (status, body, response) = await api.GetAsync("/v2.1/flavors/detail");

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.ShouldBeFault("serviceUnavailable", 503).ShouldStartWith("the database is not reachable (request req-");
        response.Headers.RetryAfter?.Delta.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Only_a_503_tells_the_client_to_retry_after()
    {
        await using var api = await ApiHost.StartAsync();
        api.Fakes.Flavors.Failures.FailOn("Flavor.ListAsync", () => new Vireo.Core.VireoException(Vireo.Core.ErrorKind.Failed, "the flavor store refused"));

        var (status, _, response) = await api.GetAsync("/v2.1/flavors/detail");

        ((int)status).ShouldBeGreaterThanOrEqualTo(400);
        status.ShouldNotBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldBeNull();
    }

    [Fact]
    public async Task Unknown_paths_answer_Novas_404_body()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.GetAsync("/v2.1/os-hypervisors");

        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldBeFault("itemNotFound", 404);
    }

    [Fact]
    public async Task Messages_keep_their_quotes_unescaped_in_the_body()
    {
        await using var api = await ApiHost.StartAsync();

        var response = await api.Client.GetAsync(new Uri("/v2.1/servers/ghost", UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        text.ShouldContain("server 'ghost' does not exist");
    }
}
