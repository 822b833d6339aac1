using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace Vireo.Api.Http;

/// <summary>
/// Reads request bodies into JSON nodes and takes fields out of them, so that every
/// refusal names the field (<c>'flavor.ram' must be an integer, got "big"</c>). A body must be
/// UTF-8 and every string in it (values and keys) valid Unicode free of control characters
/// (<see cref="RequestText"/>) before any field is read; the field readers then apply each
/// field's own rule (length, white space).
/// </summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 32,
        AllowDuplicateProperties = false,
    };

    /// <summary>Nova's default limit is 112 KiB (<c>[oslo_middleware] max_request_body_size</c>); a bit more room here.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The body as a JSON object; <paramref name="example"/> shows the expected shape in messages.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, string example, CancellationToken cancellationToken)
    {
        EnsureJsonMediaType(request);
        var bytes = await ReadLimitedAsync(request.Body, cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0 || bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            throw ApiRequestException.BadRequest($"the request body is empty; send a JSON object such as {example}");
        }

        EnsureUtf8(bytes, example);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: DocumentOptions);
        }
        catch (InvalidOperationException)
        {
            // Checking for duplicate keys unescapes them; a key escaping a lone surrogate cannot be.
            throw ApiRequestException.BadRequest(
                "a key in the request body contains a lone surrogate (an escape such as \\ud800 without its pair), which is not valid Unicode; send the text as valid UTF-8");
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line
                ? $" at line {line + 1}, byte {exception.BytePositionInLine + 1}"
                : string.Empty;
            throw new ApiRequestException(
                StatusCodes.Status400BadRequest,
                $"the request body is not valid JSON{where}; send a JSON object such as {example}",
                exception);
        }

        Inspect(node, "the request body");
        return node as JsonObject
            ?? throw ApiRequestException.BadRequest($"the request body must be a JSON object such as {example}, not {Describe(node)}");
    }

    /// <summary>A 400 naming the first byte that is not UTF-8 (JSON text is UTF-8, RFC 8259).</summary>
    private static void EnsureUtf8(byte[] bytes, string example)
    {
        var remaining = bytes.AsSpan();
        Span<char> scratch = stackalloc char[1024];
        var offset = 0;
        while (!remaining.IsEmpty)
        {
            var status = Utf8.ToUtf16(remaining, scratch, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            offset += read;
            remaining = remaining[read..];
            if (status is System.Buffers.OperationStatus.InvalidData or System.Buffers.OperationStatus.NeedMoreData)
            {
                throw ApiRequestException.BadRequest(
                    $"the request body is not valid UTF-8 at byte {offset + 1} (0x{bytes[offset]:X2}); send a JSON object such as {example} encoded as UTF-8");
            }
        }
    }

    /// <summary>
    /// Every key and string value in the tree passes <see cref="RequestText"/> (so that no later
    /// read meets a lone surrogate such as <c>"\ud800"</c>, which .NET cannot turn into a string).
    /// </summary>
    private static void Inspect(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject children:
                List<KeyValuePair<string, JsonNode?>> properties;
                try
                {
                    properties = [.. children];
                }
                catch (InvalidOperationException)
                {
                    throw ApiRequestException.BadRequest($"a key in {Name(path)} contains a lone surrogate (an escape such as \\ud800 without its pair), which is not valid Unicode; send the text as valid UTF-8");
                }

                foreach (var (key, child) in properties)
                {
                    var childPath = path == "the request body" ? key : path + "." + key;
                    RequestText.Require(key, $"the key '{Shorten(key)}' in {Name(path)}", TextRule.Token);
                    Inspect(child, childPath);
                }

                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    Inspect(items[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"));
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                string text;
                try
                {
                    text = value.GetValue<string>();
                }
                catch (InvalidOperationException)
                {
                    throw ApiRequestException.BadRequest($"{Name(path)} contains a lone surrogate (an escape such as \\ud800 without its pair), which is not valid Unicode; send the text as valid UTF-8");
                }

                RequestText.Require(text, Name(path), TextRule.Free);
                break;
        }
    }

    private static string Name(string path) => path == "the request body" ? path : $"'{path}'";

    /// <summary>The first 40 characters, never cutting a surrogate pair in two.</summary>
    private static string Shorten(string text)
    {
        if (text.Length <= 40)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[39]) ? 39 : 40;
        return text[..cut] + "...";
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new ApiRequestException(
                    StatusCodes.Status413PayloadTooLarge,
                    $"the request body is larger than {MaxBytes / 1024} KiB; send less");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The object under <paramref name="key"/>; <paramref name="path"/> is how messages name it.</summary>
    public static JsonObject RequireObject(JsonObject parent, string key, string path, string example)
    {
        if (!parent.TryGetPropertyValue(key, out var node))
        {
            throw ApiRequestException.BadRequest($"the request body has no '{path}'; send {example}");
        }

        return node as JsonObject
            ?? throw ApiRequestException.BadRequest($"'{path}' must be an object, got {Describe(node)}; send {example}");
    }

    /// <summary>
    /// A string field checked by <paramref name="rule"/> (<see cref="TextRule.Token"/> when not
    /// given); null when absent and not required.
    /// </summary>
    public static string? String(JsonObject parent, string key, string path, bool required, TextRule? rule = null)
    {
        if (!parent.TryGetPropertyValue(key, out var node) || node is null)
        {
            return required ? throw Missing(path, "a string") : null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? RequestText.Require(value.GetValue<string>(), $"'{path}'", rule ?? TextRule.Token)
            : throw ApiRequestException.BadRequest($"'{path}' must be a string, got {Describe(node)}");
    }

    /// <summary>An id given as a string or an integer (Nova's <c>flavorRef</c> takes both); null when absent.</summary>
    public static string? Reference(JsonObject parent, string key, string path)
    {
        if (!parent.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<JsonElement>(out var element))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return RequestText.Require(element.GetString()!, $"'{path}'", TextRule.Token);
                case JsonValueKind.Number when element.TryGetInt64(out var number):
                    return number.ToString(CultureInfo.InvariantCulture);
            }
        }
        else if (node is JsonValue direct && direct.TryGetValue<string>(out var text))
        {
            return RequestText.Require(text, $"'{path}'", TextRule.Token);
        }

        throw ApiRequestException.BadRequest($"'{path}' must be an id (a string), got {Describe(node)}");
    }

    /// <summary>
    /// An integer field in [<paramref name="minimum"/>, <paramref name="maximum"/>]; like Nova's
    /// schemas, a string of digits is accepted too. Null when absent and not required.
    /// </summary>
    public static int? Integer(JsonObject parent, string key, string path, bool required, int minimum, int maximum = int.MaxValue)
    {
        if (!parent.TryGetPropertyValue(key, out var node) || node is null)
        {
            return required ? throw Missing(path, "an integer") : null;
        }

        int number;
        if (node is JsonValue value && value.TryGetValue<JsonElement>(out var element))
        {
            var parsed = element.ValueKind switch
            {
                JsonValueKind.Number when element.TryGetInt32(out var n) => n,
                JsonValueKind.String when int.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
                _ => (int?)null,
            };
            number = parsed ?? throw ApiRequestException.BadRequest($"'{path}' must be an integer, got {Describe(node)}");
        }
        else if (node is JsonValue direct && direct.TryGetValue<int>(out var n))
        {
            number = n;
        }
        else
        {
            throw ApiRequestException.BadRequest($"'{path}' must be an integer, got {Describe(node)}");
        }

        if (number < minimum || number > maximum)
        {
            var range = maximum == int.MaxValue ? $"at least {minimum}" : $"between {minimum} and {maximum}";
            throw ApiRequestException.BadRequest($"'{path}' must be {range}, got {number}");
        }

        return number;
    }

    /// <summary>A boolean field; Nova also takes the strings true/false/yes/no/1/0 here.</summary>
    public static bool? Boolean(JsonObject parent, string key, string path)
    {
        if (!parent.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<JsonElement>(out var element))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.String when Flags.TryParse(element.GetString(), out var flag):
                    return flag;
            }
        }
        else if (node is JsonValue direct && direct.TryGetValue<bool>(out var b))
        {
            return b;
        }

        throw ApiRequestException.BadRequest($"'{path}' must be true or false, got {Describe(node)}");
    }

    /// <summary>How messages show a JSON value: <c>"text"</c>, <c>3</c>, <c>an array</c>, <c>null</c>.</summary>
    public static string Describe(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject:
                return "an object";
            case JsonArray:
                return "an array";
            default:
                return Shorten(node.ToJsonString());
        }
    }

    private static ApiRequestException Missing(string path, string what) =>
        ApiRequestException.BadRequest($"'{path}' is required and must be {what}");

    /// <summary>
    /// Only application/json (or a +json type) is read as JSON. Nova also takes a body without
    /// Content-Type, but that is what a web page can send cross-origin without a CORS preflight
    /// (a "simple" request): refusing it keeps a page in a local browser from driving the API.
    /// </summary>
    internal static void EnsureJsonMediaType(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            throw new ApiRequestException(
                StatusCodes.Status415UnsupportedMediaType,
                "the request has no Content-Type header; send the JSON body with Content-Type: application/json");
        }

        if (request.HasJsonContentType())
        {
            return;
        }

        throw new ApiRequestException(
            StatusCodes.Status415UnsupportedMediaType,
            $"Content-Type '{request.ContentType}' is not supported here; send the JSON body with Content-Type: application/json");
    }
}

/// <summary>The spellings of true and false that Nova's <c>strutils.bool_from_string(strict=True)</c> accepts.</summary>
internal static class Flags
{
    private static readonly string[] True = ["1", "t", "true", "on", "y", "yes"];
    private static readonly string[] False = ["0", "f", "false", "off", "n", "no"];

    public static bool TryParse(string? text, out bool value)
    {
        var normalized = text?.Trim().ToLowerInvariant();
        if (True.Contains(normalized))
        {
            value = true;
            return true;
        }

        value = false;
        return False.Contains(normalized);
    }
}
