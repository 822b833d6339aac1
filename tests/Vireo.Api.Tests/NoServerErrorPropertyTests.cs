using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;
using Vireo.Api.Http;

namespace Vireo.Api.Tests;

/// <summary>
/// Generated requests at every route of the API (servers, actions, flavors, images, image data,
/// import, versions, schemas): random JSON of any shape and type, deep nesting, huge numbers,
/// lone surrogates, invalid UTF-8, random path and query values, random microversion headers.
/// Whatever comes in, the answer is never a 5xx and no 500 is logged.
/// </summary>
public sealed class NoServerErrorPropertyTests
{
    private static readonly (HttpMethod Method, string Template, bool Json)[] Routes =
    [
        (HttpMethod.Get, "/", false),
        (HttpMethod.Get, "/v2.1", false),
        (HttpMethod.Get, "/v2.1/", false),
        (HttpMethod.Get, "/v2.1/servers", false),
        (HttpMethod.Get, "/v2.1/servers/detail", false),
        (HttpMethod.Post, "/v2.1/servers", true),
        (HttpMethod.Get, "/v2.1/servers/{server}", false),
        (HttpMethod.Delete, "/v2.1/servers/{server}", false),
        (HttpMethod.Post, "/v2.1/servers/{server}/action", true),
        (HttpMethod.Get, "/v2.1/servers/{server}/vireo-guest-cpu", false),
        (HttpMethod.Get, "/v2.1/flavors", false),
        (HttpMethod.Get, "/v2.1/flavors/detail", false),
        (HttpMethod.Get, "/v2.1/flavors/{flavor}", false),
        (HttpMethod.Post, "/v2.1/flavors", true),
        (HttpMethod.Delete, "/v2.1/flavors/{flavor}", false),
        (HttpMethod.Get, "/image", false),
        (HttpMethod.Get, "/image/versions", false),
        (HttpMethod.Get, "/image/v2/images", false),
        (HttpMethod.Get, "/image/v2/images/{image}", false),
        (HttpMethod.Delete, "/image/v2/images/{image}", false),
        (HttpMethod.Post, "/image/v2/images", true),
        (HttpMethod.Put, "/image/v2/images/{image}/file", false),
        (HttpMethod.Get, "/image/v2/images/{image}/file", false),
        (HttpMethod.Post, "/image/v2/vireo-import", false),
        (HttpMethod.Get, "/image/v2/schemas/image", false),
        (HttpMethod.Get, "/image/v2/schemas/images", false),
    ];

    /// <summary>Keys the endpoints read, so generated objects reach the field readers, not only the first check.</summary>
    private static readonly string[] Keys =
    [
        "server", "name", "imageRef", "flavorRef", "flavor", "ram", "vcpus", "disk", "id", "swap",
        "os-flavor-access:is_public", "OS-FLV-EXT-DATA:ephemeral", "reboot", "type", "os-start", "os-stop",
        "os-getConsoleOutput", "length", "disk_format", "container_format", "visibility", "protected", "tags",
        "min_disk", "min_ram", "hw_disk_bus", "hw_qemu_guest_agent", "status", "metadata", "x",
    ];

    /// <summary>JSON string literals (as written in the body, escapes included).</summary>
    private static readonly string[] NastyStrings =
    [
        "\"\"", "\"web1\"", "\"\\ud800\"", "\"a\\udfffb\"", "\"\\udbff\\udbff\"", "\"\\u0000\"", "\"\\u0007x\"", "\"\\uffff\"",
        "\"\\ufffe\"", "\" lead\"", "\"trail \"", "\"line\\nbreak\"", "\"SOFT\"", "\"HARD\"", "\"1\"", "\"m1.tiny\"",
        "\"qcow2\"", "\"bare\"", "\"raw\"", "\"public\"", "\"-1\"", "\"99999999999999999999\"", "\"\\u0662\"",
        "\"http://x/v2.1/flavors/1\"", "\"\\ud83d\\ude00\"", "\"" + new string('a', 300) + "\"",
        "\"00000000-0000-0000-0000-000000000000\"",
    ];

    private static readonly string[] NastyNumbers =
    [
        "0", "1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e999", "-1e999", "1.5",
        "1E2", "-0", "123456789012345678901234567890", "0.0000000001",
    ];

    private static readonly string[] Microversions =
    [
        "compute 2.1", "compute latest", "compute 2.99999999999999999999", "compute 99999999999.1", "compute \u0662.\u0661",
        "compute 2.\uFF11", "compute 2.", "compute .1", "compute 2.1, image 2.5", "2.1", "compute 3.0", "compute 1.0",
        "compute -2.1", "compute 2.1.1", "compute", "compute \u0000", "\u00e9", "latest",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/octet-stream", "text/plain", "application/json; charset=utf-8",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    ];

    private static Gen<string> Leaf { get; } = Gen.OneOf(
        Gen.OneOfConst("null", "true", "false"),
        Gen.OneOfConst(NastyNumbers),
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.OneOfConst(NastyStrings),
        Gen.String[Gen.Char['\0', '\u00ff'], 0, 12].Select(text => System.Text.Json.JsonSerializer.Serialize(text)));

    private static Gen<string> Key { get; } = Gen.Frequency(
        (8, Gen.OneOfConst(Keys).Select(key => "\"" + key + "\"")),
        (1, Gen.OneOfConst("\"\\ud800\"", "\"\\u0000\"", "\"\"", "\"\\uffff\"")));

    [Fact]
    public async Task No_request_gets_a_5xx()
    {
        await using var api = await ApiHost.StartAsync();
        var serverId = await api.CreateServerAsync("fixture");
        var image = api.Fakes.Images.Add("fixture-image");
        string[] pathValues =
        [
            serverId, "fixture", "ghost", "1", "2", "m1.tiny", image.Id.ToString(), Guid.NewGuid().ToString(),
            "%00", "%ED%A0%80", "%EF%BF%BF", "%FF%FE", "%C3", "a%2Fb", new string('x', 300), "%E2%80%AE", "..",
        ];
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var client = new HttpClient(handler) { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        var requests = Gen.Select(
            Gen.Int[0, Routes.Length - 1],
            Gen.OneOfConst(pathValues),
            Body(),
            Query(),
            Gen.Select(Gen.OneOfConst(Microversions).Null(), Headers()),
            Gen.OneOfConst(ContentTypes).Null(),
            Gen.Bool);

        await requests.SampleAsync(
            async (route, pathValue, body, query, headers, contentType, legacyHeader) =>
            {
                var (microversion, extra) = headers;
                var (method, template, json) = Routes[route];
                var path = template.Replace("{server}", pathValue, StringComparison.Ordinal)
                    .Replace("{flavor}", pathValue, StringComparison.Ordinal)
                    .Replace("{image}", pathValue, StringComparison.Ordinal) + query;
                using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType ?? (json ? "application/json" : "application/octet-stream"));
                }

                if (microversion is not null)
                {
                    request.Headers.TryAddWithoutValidation(legacyHeader ? Http.Microversions.LegacyHeader : Http.Microversions.Header, microversion);
                }

                foreach (var (name, value) in extra)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                var text = await response.Content.ReadAsStringAsync();
                ((int)response.StatusCode).ShouldBeLessThan(
                    500, $"{method} {path}: {text}; logged: {api.Fakes.Logs.Entries.LastOrDefault(entry => entry.Exception is not null).Exception}");
            },
            iter: 2500,
            threads: 1,
            print: input => $"{Routes[input.Item1].Method} {Routes[input.Item1].Template} path={input.Item2} query={input.Item4} version={input.Item5} type={input.Item6} body={(input.Item3 is null ? "none" : Encoding.UTF8.GetString(input.Item3))} [{(input.Item3 is null ? string.Empty : Convert.ToHexString(input.Item3.Take(64).ToArray()))}]");

        api.Fakes.Logs.Entries.ShouldNotContain(entry => entry.EventId.Id == ApiEvents.ServerError);
    }

    /// <summary>Bodies: JSON of any shape, deep nesting, invalid UTF-8 spliced in, random bytes, none.</summary>
    private static Gen<byte[]?> Body() => Gen.Frequency(
        (6, Json(3).Select(text => (byte[]?)Encoding.UTF8.GetBytes(text))),
        (2, Gen.Select(Json(2), Gen.OneOfConst<byte[]>([0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x00]), Gen.Double[0, 1])
            .Select((text, bad, at) =>
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                var position = (int)(at * bytes.Length);
                return (byte[]?)[.. bytes[..position], .. bad, .. bytes[position..]];
            })),
        (1, Gen.Int[1, 200].Select(depth => (byte[]?)Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)))),
        (1, Gen.Int[1, 60].Select(depth => (byte[]?)Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"server\":", depth)) + "1" + new string('}', depth)))),
        (1, Gen.Byte.Array[0, 64].Select(bytes => (byte[]?)bytes)),
        (1, Gen.Const((byte[]?)null)));

    /// <summary>A JSON text, shaped like the API's bodies often enough to reach the field readers.</summary>
    private static Gen<string> Json(int depth)
    {
        if (depth == 0)
        {
            return Leaf;
        }

        var child = Json(depth - 1);
        var member = Gen.Select(Key, child).Select((key, value) => key + ":" + value);
        return Gen.Frequency(
            (2, Leaf),
            (4, member.Array[0, 5].Select(members => "{" + string.Join(',', members) + "}")),
            (1, child.Array[0, 4].Select(items => "[" + string.Join(',', items) + "]")));
    }

    /// <summary>Other headers a client may send, with odd values.</summary>
    private static Gen<(string Name, string Value)[]> Headers() => Gen.Select(
            Gen.OneOfConst("Accept", "Accept-Language", "X-Auth-Token", "X-OpenStack-Request-Id", "User-Agent", "X-Forwarded-For", "Accept-Encoding", "If-None-Match"),
            Gen.OneOfConst("application/json", "*/*", "text/html;q=0.9, é", "", "req-ÿ", new string('z', 2000), "gzip, br", "\"etag\"", "::1, ::ffff:1.2.3.4", "application/vnd.openstack.compute+json;version=2.1"))
        .Array[0, 2];

    /// <summary>A query string: none, known filters with nasty values, or percent-encoded bytes.</summary>
    private static Gen<string> Query() => Gen.Frequency(
        (4, Gen.Const(string.Empty)),
        (3, Gen.Select(
                Gen.OneOfConst("name", "status", "is_public", "minRam", "minDisk", "id", "disk_format", "container_format", "property", "min_disk", "min_ram", "x"),
                Gen.OneOfConst("web1", "(", "[a-", "ACTIVE", "none", "true", "maybe", "99999999999", "-1", "in:a,b", "qcow2", "bare", "k=v", "=", "%00", "%ED%A0%80", "%FF", "%EF%BF%BF", "a%0Ab"))
            .Array[1, 3]
            .Select(pairs => "?" + string.Join('&', pairs.Select(pair => pair.Item1 + "=" + pair.Item2)))),
        (1, Gen.Byte.Array[1, 12].Select(bytes => "?name=" + string.Concat(bytes.Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture))))));
}
