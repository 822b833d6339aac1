using System.Text;
using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Loading;

namespace Vireo.Configuration.Output;

/// <summary>
/// The generated part of docs/configuration.md: one table per section from the catalogue, and Nova's and Vireo's
/// messages for the same mistakes, Vireo's produced by actually loading each example.
/// </summary>
public static class ReferenceDocument
{
    public const string BeginMarker = "<!-- BEGIN GENERATED: edit the catalogue in src/Vireo.Configuration, then run the tests with VIREO_REGENERATE=1 -->";
    public const string EndMarker = "<!-- END GENERATED -->";

    /// <summary>A mistake, Nova's reaction quoted from its source, and the diagnostic code Vireo answers with.</summary>
    public sealed record Mistake(string Title, string Conf, string NovaSays, string Code);

    public static IReadOnlyList<Mistake> Mistakes { get; } =
    [
        new("cpu_mode = custom without cpu_models", "[libvirt]\ncpu_mode = custom\n",
            "The cpu_models option is required when cpu_mode=custom (exception at start-up, no file or line)", DiagnosticCodes.CpuModelsRequired),
        new("cpu_models without cpu_mode = custom", "[libvirt]\ncpu_mode = host-model\ncpu_models = Nehalem\n",
            "The cpu_models option is not required when cpu_mode!=custom", DiagnosticCodes.CpuModelsWithoutCustom),
        new("images_type = rbd with force_raw_images = False", "[DEFAULT]\nforce_raw_images = False\n\n[libvirt]\nimages_type = rbd\n",
            "'[DEFAULT]/force_raw_images = False' is not allowed with '[libvirt]/images_type = rbd'...", DiagnosticCodes.RbdNeedsRawImages),
        new("a virt_type Nova does not know", "[libvirt]\nvirt_type = xen\n",
            "Valid values are [kvm, lxc, qemu, parallels], but found 'xen' (oslo.config, naming the file but not the line)", DiagnosticCodes.NotAChoice),
        new("lvm without a volume group", "[libvirt]\nimages_type = lvm\n",
            "You should specify images_volume_group flag to use LVM images. (only when the first instance is spawned)", DiagnosticCodes.LvmNeedsVolumeGroup),
        new("extra CPU flags with cpu_mode = none", "[libvirt]\ncpu_mode = none\ncpu_model_extra_flags = pcid\n",
            "nothing: the flags are dropped silently", DiagnosticCodes.ExtraFlagsIgnored),
        new("an unknown disk cache mode", "[libvirt]\ndisk_cachemodes = file=writebak\n",
            "Invalid cachemode writebak specified for disk type file. (a log warning; the entry is ignored)", DiagnosticCodes.CacheMode),
    ];

    public static string Generate() => Generate(Components.Implemented);

    public static string Generate(IReadOnlySet<Component> implemented)
    {
        ArgumentNullException.ThrowIfNull(implemented);
        var text = new StringBuilder();
        text.Append(BeginMarker).Append("\n\n## Options\n");
        foreach (var (group, description) in NovaOptions.Groups)
        {
            text.Append("\n### [").Append(group).Append("]\n\n").Append(description).Append("\n\n");
            text.Append("| Option | Type | Default | Description |\n|---|---|---|---|\n");
            foreach (var option in NovaOptions.InGroup(group))
            {
                text.Append("| `").Append(option.Name).Append("` | ").Append(OptionText.TypeName(option)).Append(" | ")
                    .Append(Default(option)).Append(" | ").Append(Cell(Describe(option, implemented))).Append(" |\n");
            }
        }
        text.Append("\n## Nova's messages and Vireo's for the same mistakes\n\n");
        text.Append("Vireo's messages below are produced by loading each example as `/etc/nova/nova.conf`.\n");
        foreach (var mistake in Mistakes)
        {
            var result = NovaConfig.Load("/etc/nova/nova.conf", mistake.Conf);
            var vireo = result.Errors.Concat(result.Warnings).FirstOrDefault(d => d.Code == mistake.Code)?.ToString()
                ?? $"(no {mistake.Code} diagnostic: the catalogue and this example disagree)";
            text.Append("\n**").Append(mistake.Title).Append("**\n\n```ini\n").Append(mistake.Conf).Append("```\n\n");
            text.Append("- Nova says: ").Append(mistake.NovaSays).Append('\n');
            text.Append("- Vireo says: `").Append(vireo).Append("`\n");
        }
        text.Append('\n').Append(EndMarker).Append('\n');
        return text.ToString();
    }

    private static string Default(OptionDefinition option) =>
        option.DynamicDefault is not null && string.IsNullOrEmpty(option.Default) ? Cell(option.DynamicDefault)
        : option.Default is null ? "unset"
        : option.Default.Length == 0 ? "empty"
        : $"`{option.Default}`";

    private static string Describe(OptionDefinition option, IReadOnlySet<Component> implemented)
    {
        var parts = new List<string> { option.Help };
        if (option.Choices.Count > 0)
        {
            parts.Add("Values: " + string.Join("; ", option.Choices.Select(c => $"`{c.Value}` {OptionText.ChoiceLine(c, implemented)[(c.Value.Length + 3)..]}")) + ".");
        }
        if (option.DeprecatedNames.Count > 0)
        {
            parts.Add("Deprecated names: " + string.Join(", ", option.DeprecatedNames.Select(n => $"`{n}`")) + ".");
        }
        if (option.DeprecatedFor is not null)
        {
            parts.Add($"Deprecated: use {option.DeprecatedFor}.");
        }
        if (option.NovaDefault is not null)
        {
            parts.Add($"Nova's default: {option.NovaDefault}.");
        }
        if (option.Secret != SecretKind.None)
        {
            parts.Add("Secret: never printed.");
        }
        parts.Add($"Consumer: {OptionText.Consumer(option, implemented)}.");
        return string.Join("<br>", parts);
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
