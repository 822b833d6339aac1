using System.Text.RegularExpressions;
using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Parsing;
using L = Vireo.Configuration.Catalogue.NovaOptions.Libvirt;

namespace Vireo.Configuration.Loading;

/// <summary>
/// Rules across options: Nova's start-up checks (<c>_check_cpu_compatibility</c>, the rbd/force_raw_images
/// conflict) and the mistakes Nova finds late or never (extra flags with cpu_mode = none, lvm without a volume
/// group, malformed disk_cachemodes and hw_machine_type entries). Offline: nothing here asks libvirt.
/// </summary>
internal static partial class ConfigRules
{
    public static readonly string[] CacheModes = ["default", "none", "writethrough", "writeback", "directsync", "unsafe"];
    public static readonly string[] DiskSourceTypes = ["file", "block", "network"];

    public static List<ConfigDiagnostic> Check(ResolvedValues values, string fallbackDatabase)
    {
        var found = new List<ConfigDiagnostic>();
        CheckCpu(values, found);
        CheckCpuFlags(values, found);
        CheckStorage(values, found);
        CheckPairs(values, L.DiskCachemodes, found, CheckCacheMode);
        CheckPairs(values, L.HwMachineType, found, CheckMachineType);
        DatabaseRules.Check(values, fallbackDatabase, found);
        KeystoneRules.Check(values, found);
        return found;
    }

    private static void CheckCpu(ResolvedValues values, List<ConfigDiagnostic> found)
    {
        if (!values.Valid(L.CpuMode, L.CpuModels))
        {
            return;
        }
        var virtType = values.String(L.VirtType);
        var mode = values.String(L.CpuMode);
        var models = values.List(L.CpuModels);
        if (virtType is not null && virtType is not ("kvm" or "qemu") && mode is not (null or "none"))
        {
            found.Add(Error(DiagnosticCodes.CpuModeNeedsKvm, L.CpuMode, values,
                $"{values.Describe(L.CpuMode)} selects a CPU model, which virt_type = {virtType} cannot do; remove cpu_mode or set it to none"));
        }
        if (mode == "custom" && models.Count == 0)
        {
            found.Add(Error(DiagnosticCodes.CpuModelsRequired, L.CpuMode, values,
                $"{values.Describe(L.CpuMode)} requires cpu_models; set e.g. cpu_models = Westmere (the oldest CPU model of the hosts guests may move between)"));
        }
        if (mode != "custom" && models.Count > 0)
        {
            var modeText = mode is null ? "unset (host-model at run time)" : $"{mode} ({values.Origin(L.CpuMode, L.CpuModels)})";
            found.Add(Error(DiagnosticCodes.CpuModelsWithoutCustom, L.CpuModels, values,
                $"{values.Describe(L.CpuModels)} is used only with cpu_mode = custom, but cpu_mode is {modeText}; set cpu_mode = custom or remove cpu_models"));
        }
        if (models.Any(m => m.Length == 0))
        {
            found.Add(Error(DiagnosticCodes.InvalidValue, L.CpuModels, values,
                $"{values.Describe(L.CpuModels)} has an empty model name; separate the names with single commas"));
        }
    }

    private static void CheckCpuFlags(ResolvedValues values, List<ConfigDiagnostic> found)
    {
        if (!values.Valid(L.CpuModelExtraFlags))
        {
            return;
        }
        var flags = values.List(L.CpuModelExtraFlags);
        if (flags.Count > 0 && values.Valid(L.CpuMode) && values.String(L.CpuMode) == "none")
        {
            found.Add(Error(DiagnosticCodes.ExtraFlagsIgnored, L.CpuModelExtraFlags, values,
                $"{values.Describe(L.CpuModelExtraFlags)} has no effect with cpu_mode = none ({values.Origin(L.CpuMode, L.CpuModelExtraFlags)}), where Nova drops it silently; remove the flags or use cpu_mode = host-model, host-passthrough or custom"));
        }
        var policies = new Dictionary<string, char>(StringComparer.OrdinalIgnoreCase);
        foreach (var flag in flags)
        {
            var sign = flag.Length > 0 && flag[0] is '+' or '-' ? flag[0] : '+';
            var name = flag.TrimStart('+', '-');
            if (!CpuFeatureName().IsMatch(name) || flag.Length - name.Length > 1)
            {
                found.Add(Error(DiagnosticCodes.CpuFlag, L.CpuModelExtraFlags, values,
                    $"{L.CpuModelExtraFlags.FullName} item '{flag}' is not a CPU feature; write feature names such as pcid, +ssbd or -mpx, separated by commas"));
            }
            else if (policies.TryGetValue(name, out var earlier) && earlier != sign)
            {
                found.Add(Error(DiagnosticCodes.CpuFlag, L.CpuModelExtraFlags, values,
                    $"{L.CpuModelExtraFlags.FullName} both requires and disables '{name.ToLowerInvariant()}'; keep one of +{name} and -{name}"));
            }
            else
            {
                policies[name] = sign;
            }
        }
    }

    private static void CheckStorage(ResolvedValues values, List<ConfigDiagnostic> found)
    {
        if (!values.Valid(L.ImagesType))
        {
            return;
        }
        var type = values.String(L.ImagesType);
        if (type == "rbd" && values.Valid(NovaOptions.Default.ForceRawImages) && !values.Bool(NovaOptions.Default.ForceRawImages))
        {
            found.Add(Error(DiagnosticCodes.RbdNeedsRawImages, NovaOptions.Default.ForceRawImages, values,
                $"{values.Describe(NovaOptions.Default.ForceRawImages)} is not allowed with [libvirt] images_type = rbd ({values.Origin(L.ImagesType, NovaOptions.Default.ForceRawImages)}) because RBD clones need raw images; remove force_raw_images = false or use another images_type"));
        }
        if (type == "rbd" && values.Valid(L.ImagesRbdPool) && string.IsNullOrWhiteSpace(values.String(L.ImagesRbdPool)))
        {
            found.Add(Error(DiagnosticCodes.RbdPoolMissing, L.ImagesRbdPool, values,
                $"{L.ImagesRbdPool.FullName} is empty but images_type = rbd ({values.Origin(L.ImagesType, L.ImagesRbdPool)}) needs a Ceph pool; set e.g. images_rbd_pool = vms"));
        }
        if (type == "lvm" && values.Valid(L.ImagesVolumeGroup) && string.IsNullOrWhiteSpace(values.String(L.ImagesVolumeGroup)))
        {
            found.Add(Error(DiagnosticCodes.LvmNeedsVolumeGroup, L.ImagesType, values,
                $"{values.Describe(L.ImagesType)} requires images_volume_group, which is not set (Nova would fail only at the first instance's spawn); set images_volume_group to an LVM volume group of this host, e.g. nova-vg"));
        }
    }

    private static void CheckPairs(ResolvedValues values, OptionDefinition option, List<ConfigDiagnostic> found, Func<string, string, string?> check)
    {
        if (!values.Valid(option))
        {
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in values.List(option))
        {
            var equal = item.IndexOf('=', StringComparison.Ordinal);
            string? problem;
            if (equal <= 0 || equal == item.Length - 1)
            {
                problem = option == L.DiskCachemodes ? "is not written type=mode, e.g. file=writeback" : "is not written arch=machine, e.g. x86_64=q35";
            }
            else
            {
                var key = item[..equal].Trim();
                problem = !seen.Add(key) ? $"repeats '{key}', which is already given; keep one entry per '{key}'" : check(key, item[(equal + 1)..].Trim());
            }
            if (problem is not null)
            {
                found.Add(Error(option == L.DiskCachemodes ? DiagnosticCodes.CacheMode : DiagnosticCodes.MachineType, option, values,
                    $"{option.FullName} entry '{item}' {problem}"));
            }
        }
    }

    private static string? CheckCacheMode(string type, string mode)
    {
        if (!DiskSourceTypes.Contains(type))
        {
            var close = Suggestions.Closest(type, DiskSourceTypes);
            return $"names the disk type '{type}', which does not exist{(close is null ? "" : $" (did you mean {close}?)")}; use file, block or network";
        }
        if (!CacheModes.Contains(mode))
        {
            var close = Suggestions.Closest(mode, CacheModes);
            return $"has the unknown cache mode '{mode}' (Nova would log a warning and ignore it); use one of: {string.Join(", ", CacheModes)}{(close is null ? "" : $" (did you mean {close}?)")}";
        }
        return null;
    }

    private static string? CheckMachineType(string arch, string machine) =>
        MachineToken().IsMatch(arch) && MachineToken().IsMatch(machine)
            ? null
            : "is not written arch=machine with plain names (Nova would skip it with a warning); write e.g. x86_64=q35";

    internal static ConfigDiagnostic Error(string code, OptionDefinition option, ResolvedValues values, string message) =>
        ConfigDiagnostic.Error(code, values[option].Location, option.Group, option.Name, message);

    internal static ConfigDiagnostic Warning(string code, OptionDefinition option, ResolvedValues values, string message) =>
        ConfigDiagnostic.Warning(code, values[option].Location, option.Group, option.Name, message);

    // libvirt's cpu_map feature names: lower-case letters, digits, '_', '-' and '.' (upper case is lower-cased, as Nova does).
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex CpuFeatureName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex MachineToken();
}
