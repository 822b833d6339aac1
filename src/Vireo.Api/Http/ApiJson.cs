using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Vireo.Api.Http;

/// <summary>
/// The JSON settings of the API and of its clients: names come from the contracts' attributes. Every
/// type is read and written through <see cref="ApiJsonContext"/>'s generated code, never by reflection
/// (which trimming and Native AOT cannot keep); a type missing from the context fails loudly.
/// </summary>
public static class ApiJson
{
    /// <summary>The generated metadata bound to <see cref="Options"/>: endpoints write with <c>Context.ServerResponse</c> and the like.</summary>
    public static ApiJsonContext Context { get; } = new(CreateOptions());

    /// <summary>The options, resolving types only through <see cref="Context"/>.</summary>
    public static JsonSerializerOptions Options => Context.Options;

    /// <summary>The generated metadata of <typeparamref name="T"/> under <see cref="Options"/>; NotSupportedException when the context does not list it.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions CreateOptions() => new(JsonSerializerDefaults.Web)
    {
        // Properties without an explicit name are snake_case, as Nova's Python writes them.
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,

        // Messages quote names ('web1'); the body is JSON served as application/json,
        // never embedded in HTML, so only what JSON itself requires is escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
