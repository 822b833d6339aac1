using System.Text.Json.Nodes;
using Vireo.Api.Contracts;

namespace Vireo.Api.Images;

/// <summary>
/// Glance's <c>/v2/schemas/image</c> and <c>/v2/schemas/images</c>: the JSON schema clients such as
/// glanceclient fetch before they create or show an image, for the fields this service serves.
/// Any other property is a string, as in Glance.
/// </summary>
internal static class ImageSchemas
{
    public static JsonObject Image() => new()
    {
        ["name"] = "image",
        ["properties"] = new JsonObject
        {
            ["id"] = Typed("string", "An identifier for the image", ("pattern", "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$")),
            ["name"] = Nullable("string", "Descriptive name for the image", ("maxLength", 255)),
            ["status"] = Enum("Status of the image", false, "queued", "saving", "active", "killed", "deleted", "uploading", "importing", "pending_delete", "deactivated"),
            ["visibility"] = Enum("Scope of image accessibility", false, "community", "public", "private", "shared"),
            ["protected"] = Typed("boolean", "If true, image will not be deletable."),
            ["os_hidden"] = Typed("boolean", "If true, image will not appear in default image list response."),
            ["checksum"] = Nullable("string", "md5 hash of image contents.", ("maxLength", 32)),
            ["os_hash_algo"] = Nullable("string", "Algorithm to calculate the os_hash_value", ("maxLength", 64)),
            ["os_hash_value"] = Nullable("string", "Hexdigest of the image contents using the algorithm specified by the os_hash_algo", ("maxLength", 128)),
            ["owner"] = Nullable("string", "Owner of the image", ("maxLength", 255)),
            ["size"] = Nullable("integer", "Size of image file in bytes"),
            ["virtual_size"] = Nullable("integer", "Virtual size of image in bytes"),
            ["container_format"] = Enum("Format of the container", true, [.. ImageFormats.ContainerFormats]),
            ["disk_format"] = Enum("Format of the disk", true, [.. ImageFormats.DiskFormats]),
            ["created_at"] = Typed("string", "Date and time of image registration"),
            ["updated_at"] = Typed("string", "Date and time of the last image modification"),
            ["tags"] = new JsonObject { ["type"] = "array", ["description"] = "List of strings related to the image", ["items"] = new JsonObject { ["type"] = "string", ["maxLength"] = 255 } },
            ["min_ram"] = Typed("integer", "Amount of ram (in MB) required to boot image."),
            ["min_disk"] = Typed("integer", "Amount of disk space (in GB) required to boot image."),
            ["self"] = Typed("string", "An image self url"),
            ["file"] = Typed("string", "An image file url"),
            ["schema"] = Typed("string", "An image schema url"),
        },
        ["additionalProperties"] = new JsonObject { ["type"] = "string" },
        ["links"] = new JsonArray(Link("{self}", "self"), Link("{file}", "enclosure"), Link("{schema}", "describedby")),
    };

    public static JsonObject Images() => new()
    {
        ["name"] = "images",
        ["properties"] = new JsonObject
        {
            ["images"] = new JsonObject { ["type"] = "array", ["items"] = Image() },
            ["schema"] = new JsonObject { ["type"] = "string" },
            ["first"] = new JsonObject { ["type"] = "string" },
            ["next"] = new JsonObject { ["type"] = "string" },
        },
        ["links"] = new JsonArray(Link("{first}", "first"), Link("{next}", "next"), Link("{schema}", "describedby")),
    };

    private static JsonObject Typed(string type, string description, params (string Key, JsonNode Value)[] extra)
    {
        var node = new JsonObject { ["type"] = type, ["description"] = description };
        foreach (var (key, value) in extra)
        {
            node[key] = value;
        }

        return node;
    }

    private static JsonObject Nullable(string type, string description, params (string Key, JsonNode Value)[] extra)
    {
        var node = Typed(type, description, extra);
        node["type"] = new JsonArray(type, "null");
        return node;
    }

    private static JsonObject Enum(string description, bool nullable, params string[] values)
    {
        var choices = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        if (nullable)
        {
            choices.Add(null);
        }

        return new JsonObject
        {
            ["type"] = nullable ? new JsonArray("null", "string") : "string",
            ["description"] = description,
            ["enum"] = choices,
        };
    }

    private static JsonObject Link(string href, string rel) => new() { ["href"] = href, ["rel"] = rel };
}
