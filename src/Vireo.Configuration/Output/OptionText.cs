using Vireo.Configuration.Catalogue;

namespace Vireo.Configuration.Output;

/// <summary>Words shared by the sample file and the reference document.</summary>
internal static class OptionText
{
    public static string TypeName(OptionDefinition option) => option.Type switch
    {
        OptionType.String => "string",
        OptionType.Boolean => "boolean",
        OptionType.Integer => option switch
        {
            { Minimum: { } min, Maximum: { } max } => $"integer, {min} to {max}",
            { Minimum: { } min } => $"integer, at least {min}",
            _ => "integer",
        },
        OptionType.Port => "port, 1 to 65535",
        OptionType.List => "comma-separated list",
        OptionType.MultiString => "multi-valued: repeat the key",
        OptionType.IpAddress => "IP address",
        OptionType.HostAddress => "IP address or host name",
        OptionType.Uri => "URI",
        OptionType.Uuid => "UUID",
        OptionType.AbsolutePath => "absolute path",
        OptionType.Identifier => "identifier",
        _ => option.Type.ToString(),
    };

    /// <summary>The default as the sample shows it after the '=' (oslo's generator writes &lt;None&gt; for unset).</summary>
    public static string SampleDefault(OptionDefinition option) =>
        option.DynamicDefault is not null && string.IsNullOrEmpty(option.Default) ? $"<{option.DynamicDefault}>"
        : option.Default ?? (option.IsList ? "" : "<None>");

    public static string Consumer(OptionDefinition option, IReadOnlySet<Component> implemented) =>
        implemented.Contains(option.Consumer)
            ? $"the {Components.Describe(option.Consumer)}"
            : $"the {Components.Describe(option.Consumer)} (not implemented yet: setting it gives a warning)";

    public static string ChoiceLine(OptionChoice choice, IReadOnlySet<Component> implemented) =>
        choice.Consumer is { } needed && !implemented.Contains(needed)
            ? $"{choice.Value} - {choice.Description} (not implemented yet)"
            : $"{choice.Value} - {choice.Description}";
}
