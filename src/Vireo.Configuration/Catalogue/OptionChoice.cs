namespace Vireo.Configuration.Catalogue;

public enum ChoiceStatus
{
    Supported,

    /// <summary>Accepted with a warning naming <see cref="OptionChoice.ReplacedBy"/>.</summary>
    DeprecatedAlias,

    /// <summary>A value Nova accepts that Vireo refuses, with <see cref="OptionChoice.Reason"/>.</summary>
    Refused,
}

/// <summary>One allowed (or knowingly refused) value of an option.</summary>
public sealed record OptionChoice(string Value, string Description)
{
    public ChoiceStatus Status { get; init; } = ChoiceStatus.Supported;

    /// <summary>For a deprecated alias: the value to write instead.</summary>
    public string? ReplacedBy { get; init; }

    /// <summary>For a refused value: why, as the end of a sentence.</summary>
    public string? Reason { get; init; }

    /// <summary>When this value needs a consumer other than the option's own (e.g. images_type = lvm).</summary>
    public Component? Consumer { get; init; }

    public static OptionChoice Supported(string value, string description, Component? consumer = null) =>
        new(value, description) { Consumer = consumer };

    public static OptionChoice Alias(string value, string replacedBy) =>
        new(value, $"deprecated alias of {replacedBy}") { Status = ChoiceStatus.DeprecatedAlias, ReplacedBy = replacedBy };

    public static OptionChoice Refused(string value, string reason) =>
        new(value, $"refused: {reason}") { Status = ChoiceStatus.Refused, Reason = reason };
}
