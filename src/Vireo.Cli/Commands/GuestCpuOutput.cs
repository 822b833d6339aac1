using System.Text.Json;
using System.Text.Json.Nodes;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Cli.Client;

namespace Vireo.Cli.Commands;

/// <summary>
/// The guest CPU part of <c>vireo server show</c>, read from the <c>vireo-guest-cpu</c> extension.
/// A failure to read it does not hide the server: the fields say why instead.
/// </summary>
internal static class GuestCpuOutput
{
    /// <param name="View">The record, or null when it could not be read (<paramref name="Error"/> says why).</param>
    public sealed record Answer(GuestCpuView? View, string? Error);

    public static async Task<Answer> ReadAsync(VireoClient client, string serverId, CancellationToken cancellationToken)
    {
        try
        {
            return new Answer(await client.GetServerGuestCpuAsync(serverId, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ClientFailure failure)
        {
            return new Answer(null, failure.Message);
        }
    }

    /// <summary>The server body as the API gives it, plus <c>vireo_guest_cpu</c> (null when it could not be read).</summary>
    public static JsonObject WithServer(ServerDetail server, GuestCpuView? cpu)
    {
        var node = JsonSerializer.SerializeToNode(server, ApiJson.Context.ServerDetail)!.AsObject();
        node["vireo_guest_cpu"] = cpu is null ? null : JsonSerializer.SerializeToNode(cpu, ApiJson.Context.GuestCpuView);
        return node;
    }

    public static IEnumerable<(string, string?)> Fields(Answer answer)
    {
        if (answer.View is not { } cpu)
        {
            yield return ("guest_cpu", $"could not be read: {answer.Error}");
            yield break;
        }

        if (!cpu.Recorded)
        {
            yield return ("guest_cpu", "not recorded (it is read when the guest boots: create, start after stop, hard reboot)");
            yield break;
        }

        var model = cpu.Model is null ? "the host's own CPU" : cpu.Model + (cpu.Vendor is null ? "" : $" ({cpu.Vendor})");
        var mode = cpu.RequestedMode == cpu.Mode ? $"cpu_mode {cpu.Mode}" : $"cpu_mode {cpu.RequestedMode}, running as {cpu.Mode}";
        yield return ("guest_cpu", $"{model}; {mode}; recorded {cpu.RecordedAt}");
        yield return ("guest_cpu_features", cpu.Features.Count == 0 ? "-" : string.Join(' ', cpu.Features.Select(Feature)));
        if (cpu.Nested is { } nested)
        {
            var verdict = nested.Exposed switch
            {
                true => $"{nested.Feature} exposed",
                false => "vmx/svm not exposed",
                null => "unknown",
            };
            yield return ("nested", $"{verdict}: {nested.Reason}");
        }
    }

    /// <summary>nova.conf's cpu_model_extra_flags spelling: +name required, -name disabled; other policies by name.</summary>
    private static string Feature(GuestCpuFeatureView feature) => feature.Policy switch
    {
        "require" => "+" + feature.Name,
        "disable" => "-" + feature.Name,
        _ => $"{feature.Name}({feature.Policy})",
    };
}
