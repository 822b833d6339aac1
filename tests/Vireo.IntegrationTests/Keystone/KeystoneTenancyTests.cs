using System.Net;
using System.Net.Http.Headers;
using Vireo.IntegrationTests.Service;

namespace Vireo.IntegrationTests.Keystone;

/// <summary>
/// Ownership with Keystone tokens against a real Keystone and the real service validating them: two
/// Keystone projects with a member each. Project B's member gets 404 for project A's server (show,
/// delete, action) and private image (show, delete), sees neither in its lists, and gets 403 on admin
/// endpoints and all_tenants; Keystone's admin sees A's server with all_tenants, owned by A's Keystone
/// project and user ids. One boot.
/// </summary>
[Collection(KeystoneCollection.Name)]
public sealed class KeystoneTenancyTests(KeystoneFixture keystone)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_member_of_another_keystone_project_gets_404_for_servers_and_private_images_and_403_on_admin_endpoints()
    {
        await using var service = new VireoService(extraSections: keystone.AuthTokenSection);
        await service.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}/"), Timeout = TimeSpan.FromMinutes(5) };
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var alice = await keystone.CreateMemberAsync("it-alice-" + suffix);
        var bob = await keystone.CreateMemberAsync("it-bob-" + suffix);
        var admin = await keystone.AdminTokenAsync();

        string? publicImage = null;
        string? privateImage = null;
        string? serverId = null;
        try
        {
            // The admin publishes the image servers boot from; Alice keeps one image private (no data needed).
            publicImage = await CreateImageAsync(http, admin, "it-ks-public-" + suffix, """, "visibility": "public" """);
            using (var data = new StreamContent(File.OpenRead(TestImage.Qcow2Path)))
            {
                data.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var upload = new HttpRequestMessage(HttpMethod.Put, new Uri($"image/v2/images/{publicImage}/file", UriKind.Relative)) { Content = data };
                upload.Headers.Add("X-Auth-Token", admin);
                using var uploaded = await http.SendAsync(upload, Ct);
                uploaded.StatusCode.ShouldBe(HttpStatusCode.NoContent, await uploaded.Content.ReadAsStringAsync(Ct));
            }

            privateImage = await CreateImageAsync(http, alice.Token, "it-ks-private-" + suffix, string.Empty);
            var (shownImage, imageView) = await ApiCalls.SendAsync(http, alice.Token, HttpMethod.Get, $"image/v2/images/{privateImage}");
            shownImage.ShouldBe(HttpStatusCode.OK, imageView.ToString());
            imageView.GetProperty("owner").GetString().ShouldBe(alice.ProjectId);
            imageView.GetProperty("visibility").GetString().ShouldBe("private");

            var name = "it-ks-tenancy-" + suffix;
            var (created, body) = await ApiCalls.SendAsync(http, alice.Token, HttpMethod.Post, "v2.1/servers",
                $$$"""{"server": {"name": "{{{name}}}", "imageRef": "{{{publicImage}}}", "flavorRef": "1"}}""");
            created.ShouldBe(HttpStatusCode.Accepted, body.ToString());
            serverId = body.GetProperty("server").GetProperty("id").GetString()!;

            foreach (var (method, path, json) in new (HttpMethod, string, string?)[]
            {
                (HttpMethod.Get, $"v2.1/servers/{serverId}", null),
                (HttpMethod.Delete, $"v2.1/servers/{serverId}", null),
                (HttpMethod.Post, $"v2.1/servers/{serverId}/action", """{"os-stop": null}"""),
                (HttpMethod.Get, $"image/v2/images/{privateImage}", null),
                (HttpMethod.Delete, $"image/v2/images/{privateImage}", null),
            })
            {
                var (status, refusal) = await ApiCalls.SendAsync(http, bob.Token, method, path, json);
                status.ShouldBe(HttpStatusCode.NotFound, $"{method} {path} as project B: {refusal}");
                refusal.ToString().ShouldNotContain(name);
                refusal.ToString().ShouldNotContain(alice.ProjectId);
            }

            (await ApiCalls.SendAsync(http, bob.Token, HttpMethod.Get, "v2.1/servers/detail")).Body.GetProperty("servers").GetArrayLength().ShouldBe(0);
            (await ApiCalls.SendAsync(http, bob.Token, HttpMethod.Get, "image/v2/images")).Body.GetProperty("images").EnumerateArray()
                .Select(image => image.GetProperty("id").GetString()).ShouldBe([publicImage], ignoreOrder: true);
            (await ApiCalls.SendAsync(http, alice.Token, HttpMethod.Get, "image/v2/images")).Body.GetProperty("images").EnumerateArray()
                .Select(image => image.GetProperty("id").GetString()).ShouldBe([publicImage, privateImage], ignoreOrder: true);

            var (forbidden, policy) = await ApiCalls.SendAsync(http, bob.Token, HttpMethod.Get, "v2.1/servers?all_tenants=1");
            forbidden.ShouldBe(HttpStatusCode.Forbidden, policy.ToString());
            (await ApiCalls.SendAsync(http, bob.Token, HttpMethod.Get, "v2.1/vireo-orphans")).Status.ShouldBe(HttpStatusCode.Forbidden);
            (await ApiCalls.SendAsync(http, bob.Token, HttpMethod.Post, "v2.1/flavors",
                """{"flavor": {"name": "it-ks-forbidden", "ram": 64, "vcpus": 1, "disk": 1}}""")).Status.ShouldBe(HttpStatusCode.Forbidden);

            var (shown, view) = await ApiCalls.SendAsync(http, alice.Token, HttpMethod.Get, $"v2.1/servers/{serverId}");
            shown.ShouldBe(HttpStatusCode.OK, view.ToString());
            view.GetProperty("server").GetProperty("tenant_id").GetString().ShouldBe(alice.ProjectId);
            view.GetProperty("server").GetProperty("user_id").GetString().ShouldBe(alice.UserId);
            view.GetProperty("server").TryGetProperty("OS-EXT-SRV-ATTR:host", out _).ShouldBeFalse("host fields are for admins");

            var (listed, all) = await ApiCalls.SendAsync(http, admin, HttpMethod.Get, "v2.1/servers/detail?all_tenants=1");
            listed.ShouldBe(HttpStatusCode.OK, all.ToString());
            var seen = all.GetProperty("servers").EnumerateArray().Single(server => server.GetProperty("id").GetString() == serverId);
            seen.GetProperty("tenant_id").GetString().ShouldBe(alice.ProjectId);
            seen.TryGetProperty("OS-EXT-SRV-ATTR:host", out _).ShouldBeTrue("an admin sees the host fields");

            (await ApiCalls.SendAsync(http, alice.Token, HttpMethod.Delete, $"v2.1/servers/{serverId}")).Status.ShouldBe(HttpStatusCode.NoContent);
            await ApiCalls.WaitForGoneAsync(http, admin, serverId, TimeSpan.FromMinutes(5));
            ServiceScenario.ShouldLeaveNothing(service, Guid.Parse(serverId));
            serverId = null;
            (await ApiCalls.SendAsync(http, alice.Token, HttpMethod.Delete, $"image/v2/images/{privateImage}")).Status.ShouldBe(HttpStatusCode.NoContent);
            privateImage = null;
        }
        finally
        {
            // Whatever failed above: Keystone's admin removes what is left (a 404 means it is gone already).
            if (serverId is not null)
            {
                await ApiCalls.SendAsync(http, admin, HttpMethod.Delete, $"v2.1/servers/{serverId}");
                await ApiCalls.WaitForGoneAsync(http, admin, serverId, TimeSpan.FromMinutes(5));
            }

            foreach (var image in new[] { privateImage, publicImage })
            {
                if (image is not null)
                {
                    await ApiCalls.SendAsync(http, admin, HttpMethod.Delete, $"image/v2/images/{image}");
                }
            }
        }
    }

    private static async Task<string> CreateImageAsync(HttpClient http, string token, string name, string extra)
    {
        var (status, body) = await ApiCalls.SendAsync(http, token, HttpMethod.Post, "image/v2/images",
            $$$"""{"name": "{{{name}}}", "disk_format": "qcow2", "container_format": "bare"{{{extra}}}}""");
        status.ShouldBe(HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetString()!;
    }
}
