using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vireo.Cli.Client.Auth;

/// <summary>The text of one configuration file and where it was read.</summary>
public sealed record ConfigFileText(string Path, string Text);

/// <summary>
/// A clouds.yaml or secure.yaml read into its clouds, each flattened to dotted keys
/// (<c>auth.password</c>, <c>region_name</c>): openstacksdk's format (openstacksdk/config/loader.py),
/// read through YamlDotNet's representation model, which needs no reflection.
/// </summary>
public static class CloudsYaml
{
    /// <summary>The clouds under the file's top-level <c>clouds:</c> mapping; an error names the file, line and what to fix.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Parse(ConfigFileText file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(file.Text));
        }
        catch (YamlException exception)
        {
            throw new ClientFailure(
                ExitCodes.Configuration,
                $"{file.Path} is not valid YAML at line {exception.Start.Line}, column {exception.Start.Column} ({Innermost(exception)}); fix the file",
                exception);
        }

        var clouds = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return clouds;
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("clouds"), out var cloudsNode))
        {
            return clouds;
        }

        if (cloudsNode is not YamlMappingNode cloudMap)
        {
            throw new ClientFailure(ExitCodes.Configuration, $"{file.Path}: 'clouds' at line {cloudsNode.Start.Line} is not a mapping of cloud names to settings; write it as 'clouds:' followed by indented cloud names");
        }

        foreach (var (key, value) in cloudMap.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                continue;
            }

            if (value is not YamlMappingNode settings)
            {
                throw new ClientFailure(ExitCodes.Configuration, $"{file.Path}: cloud '{name}' at line {value.Start.Line} is not a mapping of settings; indent its keys (auth:, region_name:) under it");
            }

            var flat = new Dictionary<string, string>(StringComparer.Ordinal);
            Flatten(settings, prefix: string.Empty, flat);
            clouds[name] = flat;
        }

        return clouds;
    }

    private static void Flatten(YamlMappingNode mapping, string prefix, Dictionary<string, string> into)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                continue;
            }

            switch (value)
            {
                case YamlScalarNode scalar:
                    into[prefix + name] = scalar.Value ?? string.Empty;
                    break;
                case YamlMappingNode nested:
                    Flatten(nested, prefix + name + ".", into);
                    break;
                case YamlSequenceNode sequence when name == "regions":
                    // openstacksdk takes the first of a cloud's regions when region_name is not given.
                    var first = sequence.Children.FirstOrDefault();
                    var region = first switch
                    {
                        YamlScalarNode s => s.Value,
                        YamlMappingNode m when m.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode s => s.Value,
                        _ => null,
                    };
                    if (region is not null)
                    {
                        into[prefix + "regions.0"] = region;
                    }

                    break;
                default:
                    break;
            }
        }
    }

    private static string Innermost(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message;
    }
}
