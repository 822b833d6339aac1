using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vireo.IntegrationTests.Service;

/// <summary>Raw API calls of the tenancy tests: one request with a caller's token, and waiting for a deleted server's 404.</summary>
public static class ApiCalls
{
    /// <summary>Sends one request with <c>X-Auth-Token</c> (none when null) and a JSON body when given; the answer's status and parsed body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, string? token, HttpMethod method, string path, string? json = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        }

        var cancellation = TestContext.Current.CancellationToken;
        using var response = await http.SendAsync(request, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Polls <c>GET /v2.1/servers/{id}</c> as <paramref name="token"/> until it is a 404, or fails after <paramref name="deadline"/>.</summary>
    public static async Task WaitForGoneAsync(HttpClient http, string? token, string id, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while ((await SendAsync(http, token, HttpMethod.Get, $"v2.1/servers/{id}")).Status != HttpStatusCode.NotFound)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"server {id} was still there {deadline.TotalMinutes:F0} minutes after its delete");
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}
