using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vireo.Core;

namespace Vireo.Storage.Disks;

/// <summary>Where a file system choice came from, for the log and for messages.</summary>
public enum FileSystemSource
{
    /// <summary><c>[DEFAULT] default_ephemeral_format</c> is set.</summary>
    DefaultEphemeralFormat,

    /// <summary>The image's <c>os_type</c> property has a default file system (linux, windows).</summary>
    OsType,

    /// <summary>Neither: vfat.</summary>
    Fallback,
}

/// <summary>The file system of a new ephemeral disk and where the choice came from.</summary>
public sealed record FileSystemChoice(string FileSystem, FileSystemSource Source);

/// <summary>One program run that formats a template: the program's name (resolved in the system directories) and its arguments before the target path.</summary>
/// <param name="Program">e.g. mkfs.ext4 or mkswap.</param>
/// <param name="DebianPackage">The package that installs it, for the message when it is missing.</param>
/// <param name="Arguments">The arguments; the target path follows them.</param>
public sealed record FormatCommand(string Program, string DebianPackage, IReadOnlyList<string> Arguments);

/// <summary>
/// Nova's rules for ephemeral and swap disks, as pure decisions over the configuration and the image
/// (nova/virt/libvirt/driver.py <c>_create_ephemeral</c>, <c>_create_swap</c>; nova/virt/disk/api.py
/// <c>mkfs</c>; nova/privsep/fs.py <c>unprivileged_mkfs</c> and <c>get_file_extension_for_os_type</c>):
/// the file system (<c>default_ephemeral_format</c>, else the image's <c>os_type</c> default, linux:
/// ext4, windows: ntfs, else vfat), the label <c>ephemeral0</c>, the template names in the base cache
/// (<c>ephemeral_&lt;GiB&gt;_&lt;first 7 hex of the MD5 of the file system&gt;</c>, <c>swap_&lt;MiB&gt;</c>)
/// and the mkfs or mkswap run that formats each.
/// </summary>
public static class EphemeralTemplates
{
    /// <summary>The label of the flavor's ephemeral disk (Nova's <c>fs_label='ephemeral0'</c>).</summary>
    public const string Label = "ephemeral0";

    /// <summary>Nova's <c>_DEFAULT_FILE_SYSTEM</c>: what an image without a known <c>os_type</c> gets.</summary>
    public const string FallbackFileSystem = "vfat";

    /// <summary>The image property naming the guest's operating system (Nova's <c>os_type</c>).</summary>
    public const string OsTypeProperty = "os_type";

    /// <summary>Nova's <c>_DEFAULT_FS_BY_OSTYPE</c>.</summary>
    private static readonly Dictionary<string, string> DefaultByOsType = new(StringComparer.Ordinal)
    {
        ["linux"] = "ext4",
        ["windows"] = "ntfs",
    };

    /// <summary>
    /// The file systems Vireo makes: each with its program, package and options as nova/privsep/fs.py
    /// gives them (<c>-F</c> for ext3, ext4 and ntfs, which refuse a regular file without it; also for
    /// ext2 here, since no one answers a prompt; the label with <c>-n</c> for vfat, <c>-L</c> for the rest).
    /// </summary>
    private static readonly Dictionary<string, (string Program, string Package, bool Force, string LabelOption)> Formatters = new(StringComparer.Ordinal)
    {
        ["ext2"] = ("mkfs.ext2", "e2fsprogs", true, "-L"),
        ["ext3"] = ("mkfs.ext3", "e2fsprogs", true, "-L"),
        ["ext4"] = ("mkfs.ext4", "e2fsprogs", true, "-L"),
        ["xfs"] = ("mkfs.xfs", "xfsprogs", false, "-L"),
        ["vfat"] = ("mkfs.vfat", "dosfstools", false, "-n"),
        ["ntfs"] = ("mkfs.ntfs", "ntfs-3g", true, "-L"),
    };

    /// <summary>The file systems <see cref="FormatEphemeral"/> knows.</summary>
    public static IReadOnlyCollection<string> FileSystems => Formatters.Keys;

    /// <summary>
    /// <c>default_ephemeral_format</c> when set, else the default of the image's <c>os_type</c>
    /// (exact, lower-case, as Nova compares it), else vfat.
    /// </summary>
    public static FileSystemChoice ChooseFileSystem(string? defaultEphemeralFormat, IReadOnlyDictionary<string, string> imageProperties)
    {
        ArgumentNullException.ThrowIfNull(imageProperties);
        if (!string.IsNullOrWhiteSpace(defaultEphemeralFormat))
        {
            return new FileSystemChoice(defaultEphemeralFormat.Trim(), FileSystemSource.DefaultEphemeralFormat);
        }

        return imageProperties.TryGetValue(OsTypeProperty, out var osType) && osType is not null && DefaultByOsType.TryGetValue(osType, out var byOsType)
            ? new FileSystemChoice(byOsType, FileSystemSource.OsType)
            : new FileSystemChoice(FallbackFileSystem, FileSystemSource.Fallback);
    }

    /// <summary>
    /// <c>ephemeral_&lt;GiB&gt;_&lt;7 hex&gt;</c>: the hash is the first 7 hex digits of the MD5 of the
    /// file system's name (Nova's <c>get_file_extension_for_os_type</c>), here always of the file system
    /// the template is made with, so two templates of one name never differ in content.
    /// </summary>
    public static string EphemeralTemplateName(int sizeGiB, string fileSystem)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeGiB);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileSystem);
        var hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(fileSystem)))[..7];
        return string.Create(CultureInfo.InvariantCulture, $"ephemeral_{sizeGiB}_{hash}");
    }

    /// <summary><c>swap_&lt;MiB&gt;</c> (Nova's <c>_create_image</c>).</summary>
    public static string SwapTemplateName(int sizeMiB)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeMiB);
        return string.Create(CultureInfo.InvariantCulture, $"swap_{sizeMiB}");
    }

    /// <summary>The mkfs run for an ephemeral template; InvalidInput naming the option for a file system Vireo cannot make.</summary>
    public static FormatCommand FormatEphemeral(FileSystemChoice choice, string label)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        if (!Formatters.TryGetValue(choice.FileSystem, out var formatter))
        {
            var where = choice.Source == FileSystemSource.DefaultEphemeralFormat ? "[DEFAULT] default_ephemeral_format" : "the image's os_type default";
            throw VireoException.InvalidInput(
                $"{where} asks for an ephemeral file system '{choice.FileSystem}', which Vireo cannot make; set [DEFAULT] default_ephemeral_format to one of {string.Join(", ", Formatters.Keys)}");
        }

        List<string> arguments = formatter.Force ? ["-F"] : [];
        arguments.Add(formatter.LabelOption);
        arguments.Add(label);
        return new FormatCommand(formatter.Program, formatter.Package, arguments);
    }

    /// <summary><c>mkswap &lt;path&gt;</c>: Nova gives the swap disk no label.</summary>
    public static FormatCommand FormatSwap() => new("mkswap", "util-linux", []);
}
