using System.Globalization;
using System.Net;
using System.Text;

namespace Vireo.Api.Tests.Cli.Auth;

/// <summary>Keystone's answers to <c>POST /v3/auth/tokens</c> as the real one words them.</summary>
internal static class KeystoneAnswers
{
    public static HttpResponseMessage Issued(string token, DateTimeOffset expiresAt, string computeUrl = "http://vireo.lab:8774/v2.1")
    {
        // Keystone writes expires_at with microseconds and a Z (keystone/common/utils.py isotime(subsecond=True)).
        var expires = expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var body = $$$"""
            {"token": {"methods": ["password"], "expires_at": "{{{expires}}}", "issued_at": "{{{expires}}}",
              "user": {"id": "u1", "name": "alice", "domain": {"id": "default", "name": "Default"}, "password_expires_at": null},
              "project": {"id": "p1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
              "catalog": [
                {"type": "identity", "name": "keystone", "endpoints": [{"interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "http://k:5000/v3"}]},
                {"type": "compute", "name": "nova", "endpoints": [
                  {"interface": "admin", "region_id": "RegionOne", "region": "RegionOne", "url": "http://admin.lab:8774/v2.1"},
                  {"interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "{{{computeUrl}}}"}]}]}}
            """;
        var response = new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        response.Headers.Add("X-Subject-Token", token);
        return response;
    }

    public static HttpResponseMessage Refused() => new(HttpStatusCode.Unauthorized)
    {
        Content = new StringContent("""{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}""", Encoding.UTF8, "application/json"),
    };
}
