using System.Text;
using Vireo.Configuration.Catalogue;

namespace Vireo.Configuration.Output;

/// <summary>
/// The sample nova.conf, generated from the catalogue in the style of oslo-config-generator: every option commented
/// out with its help and its default, so the file loads as all defaults and each line can be uncommented.
/// </summary>
public static class SampleFile
{
    public static string Generate() => Generate(Components.Implemented);

    public static string Generate(IReadOnlySet<Component> implemented)
    {
        ArgumentNullException.ThrowIfNull(implemented);
        var text = new StringBuilder();
        text.Append("# nova.conf options read by Vireo, generated from its option catalogue ('vireo config sample').\n");
        text.Append("# Every option is commented out with its default. Other Nova options may stay in the file:\n");
        text.Append("# 'vireo config check' warns about those it does not read, and ignores unknown sections.\n");
        foreach (var (group, description) in NovaOptions.Groups)
        {
            text.Append('\n').Append('[').Append(group).Append("]\n\n#\n");
            foreach (var line in TextWrap.Lines(description, 76))
            {
                text.Append("# ").Append(line).Append('\n');
            }
            text.Append("#\n");
            foreach (var option in NovaOptions.InGroup(group))
            {
                AppendOption(text, option, implemented);
            }
        }
        return text.ToString();
    }

    private static void AppendOption(StringBuilder text, OptionDefinition option, IReadOnlySet<Component> implemented)
    {
        text.Append('\n');
        Comment(text, $"{option.Help} ({OptionText.TypeName(option)})");
        if (option.Choices.Count > 0)
        {
            text.Append("#\n# Possible values:\n");
            foreach (var choice in option.Choices)
            {
                Comment(text, OptionText.ChoiceLine(choice, implemented));
            }
        }
        if (option.DeprecatedNames.Count > 0)
        {
            text.Append("#\n");
            Comment(text, "Deprecated names (still read, with a warning): " + string.Join(", ", option.DeprecatedNames));
        }
        if (option.DeprecatedFor is not null)
        {
            Comment(text, $"Deprecated: use {option.DeprecatedFor} instead.");
        }
        if (option.NovaDefault is not null)
        {
            Comment(text, $"Nova's default: {option.NovaDefault}.");
        }
        if (option.Secret != SecretKind.None)
        {
            Comment(text, "Secret: 'vireo config check' never prints it.");
        }
        Comment(text, $"Consumed by {OptionText.Consumer(option, implemented)}.");
        text.Append('#').Append(option.Name).Append(" = ").Append(OptionText.SampleDefault(option)).Append('\n');
    }

    private static void Comment(StringBuilder text, string paragraph)
    {
        foreach (var line in TextWrap.Lines(paragraph, 76))
        {
            text.Append("# ").Append(line).Append('\n');
        }
    }
}
