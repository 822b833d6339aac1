using System.Text.Json.Serialization;

namespace Vireo.Storage.Disks;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DiskInfoJson : JsonSerializerContext;
