using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vireo.Cli.Output;
using Vireo.Libvirt;

namespace Vireo.Cli.Commands;

/// <summary>`vireo version`: Vireo's, libvirt's library and (when reachable) the hypervisor's versions.</summary>
public static class VersionCommands
{
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var uri = new Option<string>("--connect") { Description = "libvirt connection URI.", DefaultValueFactory = _ => "qemu:///system" };
        var command = new Command("version", "Show the versions of Vireo, libvirt and the hypervisor.") { uri };
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var vireo = typeof(VersionCommands).Assembly.GetName().Version?.ToString() ?? "0.0.0";
            var library = LibvirtVersion.Library().ToString();
            string? hypervisor = null;
            string? problem = null;
            try
            {
                using var conn = Connection.Open(parse.GetValue(uri)!);
                hypervisor = conn.HypervisorVersion.ToString();
            }
            catch (LibvirtException e)
            {
                problem = e.Message;
            }
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new VersionDocument(vireo, library, hypervisor, problem), CliJsonContext.Compact.VersionDocument));
            }
            else
            {
                Console.WriteLine($"vireo      {vireo}");
                Console.WriteLine($"libvirt    {library}");
                Console.WriteLine($"hypervisor {hypervisor ?? "unavailable"}");
                if (problem is not null)
                {
                    Console.Error.WriteLine($"vireo: {problem}");
                }
            }
            return problem is null ? ExitCodes.Success : ExitCodes.Unavailable;
        });
        root.Subcommands.Add(command);
    }
}

/// <summary>What <c>vireo version --json</c> prints: one line, <c>{"vireo":"...","libvirt":"...","hypervisor":...,"error":...}</c>.</summary>
internal sealed record VersionDocument(
    [property: JsonPropertyName("vireo")] string Vireo,
    [property: JsonPropertyName("libvirt")] string Libvirt,
    [property: JsonPropertyName("hypervisor")] string? Hypervisor,
    [property: JsonPropertyName("error")] string? Error);
