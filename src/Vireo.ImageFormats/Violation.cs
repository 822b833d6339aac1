namespace Vireo.ImageFormats;

/// <summary>
/// One reason to refuse an image: a stable <see cref="Name"/> for programs (see
/// <see cref="ViolationNames"/>) and a one-sentence <see cref="Message"/> for people that names
/// the field, its value and what to do.
/// </summary>
public sealed record Violation(string Name, string Message)
{
    public override string ToString() => $"{Name}: {Message}";
}

/// <summary>The stable violation names; programs match on these, never on messages.</summary>
public static class ViolationNames
{
    public const string FormatAmbiguous = "format.ambiguous";
    public const string FormatMismatch = "format.mismatch";
    public const string FormatUnknownDeclared = "format.unknown-declared";
    public const string FormatTruncated = "format.truncated";
    public const string FormatInvalidHeader = "format.invalid-header";

    public const string Qcow2BackingFile = "qcow2.backing-file";
    public const string Qcow2DataFile = "qcow2.data-file";
    public const string Qcow2DataFileRaw = "qcow2.data-file-raw";
    public const string Qcow2UnknownIncompatibleFeatures = "qcow2.unknown-incompatible-features";
    public const string Qcow2UnsupportedVersion = "qcow2.unsupported-version";

    public const string QedBackingFile = "qed.backing-file";
    public const string QedUnknownFeatures = "qed.unknown-features";

    public const string VmdkCreateTypeNotAllowed = "vmdk.create-type-not-allowed";
    public const string VmdkDescriptorSyntax = "vmdk.descriptor-syntax";
    public const string VmdkDescriptorMissing = "vmdk.descriptor-missing";
    public const string VmdkExtentFile = "vmdk.extent-file";
    public const string VmdkParentFile = "vmdk.parent-file";
    public const string VmdkUnsupportedVersion = "vmdk.unsupported-version";
    public const string VmdkInvalidFooter = "vmdk.invalid-footer";

    public const string VhdParentDisk = "vhd.parent-disk";
    public const string VhdxParentDisk = "vhdx.parent-disk";
    public const string VdiParentDisk = "vdi.parent-disk";
    public const string VdiUnsupportedVersion = "vdi.unsupported-version";
    public const string LuksUnsupportedVersion = "luks.unsupported-version";

    public const string MbrBootFlag = "mbr.boot-flag";
    public const string MbrNoPartitions = "mbr.no-partitions";
    public const string GptProtectiveEntry = "gpt.protective-entry";

    /// <summary>Every name above, for documentation and tests.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        FormatAmbiguous, FormatMismatch, FormatUnknownDeclared, FormatTruncated, FormatInvalidHeader,
        Qcow2BackingFile, Qcow2DataFile, Qcow2DataFileRaw, Qcow2UnknownIncompatibleFeatures, Qcow2UnsupportedVersion,
        QedBackingFile, QedUnknownFeatures,
        VmdkCreateTypeNotAllowed, VmdkDescriptorSyntax, VmdkDescriptorMissing, VmdkExtentFile, VmdkParentFile,
        VmdkUnsupportedVersion, VmdkInvalidFooter,
        VhdParentDisk, VhdxParentDisk, VdiParentDisk, VdiUnsupportedVersion, LuksUnsupportedVersion,
        MbrBootFlag, MbrNoPartitions, GptProtectiveEntry,
    ];
}
