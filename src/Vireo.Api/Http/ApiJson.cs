using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vireo.Api.Http;

/// <summary>The JSON settings of the API and of its clients: names come from the contracts' attributes.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Properties without an explicit name are snake_case, as Nova's Python writes them.
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,

            // Messages quote names ('web1'); the body is JSON served as application/json,
            // never embedded in HTML, so only what JSON itself requires is escaped.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

            // Generated code for the contracts; reflection for anything else.
            TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(
                ApiJsonContext.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
