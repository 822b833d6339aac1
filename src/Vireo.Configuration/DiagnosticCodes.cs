namespace Vireo.Configuration;

/// <summary>Stable codes of every diagnostic, for tests, scripts and <c>--json</c> output.</summary>
public static class DiagnosticCodes
{
    public const string SectionNotClosed = "syntax.section-not-closed";
    public const string EmptySectionName = "syntax.empty-section-name";
    public const string NoAssignment = "syntax.no-assignment";
    public const string EmptyKey = "syntax.empty-key";
    public const string UnexpectedContinuation = "syntax.unexpected-continuation";
    public const string KeyOutsideSection = "syntax.key-outside-section";

    public const string FileNotFound = "file.not-found";
    public const string FileUnreadable = "file.unreadable";
    public const string DirectoryNotFound = "file.directory-not-found";
    public const string NoFiles = "file.none";

    public const string UnknownOption = "option.unknown";
    public const string MisplacedOption = "option.wrong-section";
    public const string RepeatedOption = "option.repeated";
    public const string DeprecatedName = "option.deprecated-name";
    public const string DeprecatedOption = "option.deprecated";
    public const string NotImplemented = "option.not-implemented";
    public const string SectionCase = "section.name";

    public const string InvalidValue = "value.invalid";
    public const string NotAChoice = "value.not-a-choice";
    public const string RefusedChoice = "value.refused";
    public const string DeprecatedValue = "value.deprecated";
    public const string OutOfRange = "value.out-of-range";
    public const string InlineComment = "value.inline-comment";

    public const string UnknownReference = "interpolation.unknown";
    public const string ReferenceCycle = "interpolation.cycle";

    public const string CpuModelsRequired = "rule.cpu-models-required";
    public const string CpuModelsWithoutCustom = "rule.cpu-models-without-custom";
    public const string CpuModeNeedsKvm = "rule.cpu-mode-needs-kvm";
    public const string ExtraFlagsIgnored = "rule.extra-flags-with-mode-none";
    public const string CpuFlag = "rule.cpu-flag";
    public const string RbdNeedsRawImages = "rule.rbd-needs-force-raw-images";
    public const string RbdPoolMissing = "rule.rbd-pool-missing";
    public const string LvmNeedsVolumeGroup = "rule.lvm-needs-volume-group";
    public const string CacheMode = "rule.disk-cachemodes";
    public const string MachineType = "rule.hw-machine-type";
    public const string DatabaseEngine = "rule.database-engine";
    public const string DatabasePath = "rule.database-path";
    public const string KeystoneIncomplete = "rule.keystone-authtoken-incomplete";
    public const string KeystoneAuthType = "rule.keystone-auth-type";
}
