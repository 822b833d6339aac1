using System.Text.Json;

namespace Vireo.Api.Tests;

internal static class JsonAssert
{
    public static void ShouldHaveExactlyKeys(this JsonElement element, params string[] keys) =>
        element.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal)
            .ShouldBe(keys.Order(StringComparer.Ordinal), $"keys of {element}");

    public static void ShouldBeKind(this JsonElement element, string key, JsonValueKind kind) =>
        element.GetProperty(key).ValueKind.ShouldBe(kind, $"'{key}' in {element}");

    /// <summary>Nova's error body: one key, the fault name, holding code and message.</summary>
    public static string ShouldBeFault(this JsonElement body, string faultName, int code)
    {
        body.ShouldHaveExactlyKeys(faultName);
        var fault = body.GetProperty(faultName);
        fault.ShouldHaveExactlyKeys("code", "message");
        fault.GetProperty("code").GetInt32().ShouldBe(code);
        return fault.GetProperty("message").GetString()!;
    }
}
