using System.Globalization;
using System.Text.Json;
using Vireo.Core;

namespace Vireo.State;

/// <summary>
/// <c>instances.effective_cpu</c>: the guest CPU of the last boot as one JSON document (read and
/// written whole, never queried by part). Written by hand, so the stored shape is this file and
/// not whatever a serializer makes of a record.
/// </summary>
internal static class EffectiveCpuJson
{
    public static object Write(EffectiveGuestCpu? cpu)
    {
        if (cpu is null)
        {
            return DBNull.Value;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("requested_mode", cpu.RequestedMode);
            json.WriteString("mode", cpu.Mode);
            json.WriteString("model", cpu.Model);
            json.WriteString("vendor", cpu.Vendor);
            json.WriteStartArray("features");
            foreach (var feature in cpu.Features)
            {
                json.WriteStartObject();
                json.WriteString("name", feature.Name);
                json.WriteString("policy", feature.Policy);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("virtualization");
            if (cpu.Virtualization.Exposed is { } exposed)
            {
                json.WriteBoolean("exposed", exposed);
            }
            else
            {
                json.WriteNull("exposed");
            }

            json.WriteString("feature", cpu.Virtualization.Feature);
            json.WriteString("reason", cpu.Virtualization.Reason);
            json.WriteEndObject();
            json.WriteString("recorded_at", SqlValues.Time(cpu.RecordedAt));
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Null for NULL; a document this code did not write is an internal error naming the instance.</summary>
    public static EffectiveGuestCpu? Read(string? text, Guid instanceId)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var virtualization = root.GetProperty("virtualization");
            return new EffectiveGuestCpu(
                root.GetProperty("requested_mode").GetString()!,
                root.GetProperty("mode").GetString()!,
                root.GetProperty("model").GetString(),
                root.GetProperty("vendor").GetString(),
                [.. root.GetProperty("features").EnumerateArray().Select(f => new GuestCpuFeature(f.GetProperty("name").GetString()!, f.GetProperty("policy").GetString()!))],
                new GuestVirtualization(
                    virtualization.GetProperty("exposed").ValueKind == JsonValueKind.Null ? null : virtualization.GetProperty("exposed").GetBoolean(),
                    virtualization.GetProperty("feature").GetString(),
                    virtualization.GetProperty("reason").GetString()!),
                DateTimeOffset.ParseExact(root.GetProperty("recorded_at").GetString()!, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new VireoException(ErrorKind.Internal,
                $"instance {instanceId} has an unreadable effective_cpu column ({e.Message}); set it to NULL to show it as not recorded until the next boot", e);
        }
    }
}
