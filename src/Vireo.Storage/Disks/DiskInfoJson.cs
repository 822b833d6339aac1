using System.Text.Json.Serialization;

namespace Vireo.Storage.Disks;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DiskInfoJson : JsonSerializerContext;

/// <summary>The owner file's body (<see cref="InstanceFiles.Owner"/>).</summary>
internal sealed record OwnerFile(string InstallationId, string Host, Guid InstanceId, DateTimeOffset CreatedAt);

[JsonSerializable(typeof(OwnerFile))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
internal sealed partial class OwnerFileJson : JsonSerializerContext;
