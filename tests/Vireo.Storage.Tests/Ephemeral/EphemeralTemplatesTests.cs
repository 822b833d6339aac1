using Vireo.Core;
using Vireo.Storage.Disks;

namespace Vireo.Storage.Tests.Ephemeral;

public sealed class EphemeralTemplatesTests
{
    public static TheoryData<string?, string?, string, FileSystemSource> Choices => new()
    {
        // default_ephemeral_format, image os_type, file system, from
        { "ext4", null, "ext4", FileSystemSource.DefaultEphemeralFormat },
        { "xfs", "linux", "xfs", FileSystemSource.DefaultEphemeralFormat },
        { "ext3", "windows", "ext3", FileSystemSource.DefaultEphemeralFormat },
        { " ext2 ", null, "ext2", FileSystemSource.DefaultEphemeralFormat },
        { null, "linux", "ext4", FileSystemSource.OsType },
        { "", "linux", "ext4", FileSystemSource.OsType },
        { null, "windows", "ntfs", FileSystemSource.OsType },
        { null, "Linux", "vfat", FileSystemSource.Fallback },
        { null, "freebsd", "vfat", FileSystemSource.Fallback },
        { null, null, "vfat", FileSystemSource.Fallback },
    };

    [Theory]
    [MemberData(nameof(Choices))]
    public void The_file_system_is_the_option_else_the_os_type_default_else_vfat(string? option, string? osType, string expected, FileSystemSource source)
    {
        var properties = osType is null ? ImageRecord.NoProperties : new Dictionary<string, string> { ["os_type"] = osType };

        EphemeralTemplates.ChooseFileSystem(option, properties).ShouldBe(new FileSystemChoice(expected, source));
    }

    [Theory]
    [InlineData(1, "ext4", "ephemeral_1_40d1d2c")]
    [InlineData(1, "vfat", "ephemeral_1_0706d66")]
    [InlineData(20, "vfat", "ephemeral_20_0706d66")]
    [InlineData(10, "xfs", "ephemeral_10_310201b")]
    [InlineData(2, "ext3", "ephemeral_2_66f137c")]
    [InlineData(5, "ntfs", "ephemeral_5_68e98b8")]
    public void Ephemeral_templates_are_named_by_size_and_the_md5_of_the_file_system(int gib, string fileSystem, string expected)
    {
        EphemeralTemplates.EphemeralTemplateName(gib, fileSystem).ShouldBe(expected);
    }

    [Fact]
    public void Swap_templates_are_named_by_their_MiB()
    {
        EphemeralTemplates.SwapTemplateName(64).ShouldBe("swap_64");
        EphemeralTemplates.SwapTemplateName(2048).ShouldBe("swap_2048");
        Should.Throw<ArgumentOutOfRangeException>(() => EphemeralTemplates.SwapTemplateName(0));
        Should.Throw<ArgumentOutOfRangeException>(() => EphemeralTemplates.EphemeralTemplateName(0, "ext4"));
    }

    public static TheoryData<string, string, string, string[]> Formats => new()
    {
        { "ext4", "mkfs.ext4", "e2fsprogs", ["-F", "-L", "ephemeral0"] },
        { "ext3", "mkfs.ext3", "e2fsprogs", ["-F", "-L", "ephemeral0"] },
        { "ext2", "mkfs.ext2", "e2fsprogs", ["-F", "-L", "ephemeral0"] },
        { "xfs", "mkfs.xfs", "xfsprogs", ["-L", "ephemeral0"] },
        { "vfat", "mkfs.vfat", "dosfstools", ["-n", "ephemeral0"] },
        { "ntfs", "mkfs.ntfs", "ntfs-3g", ["-F", "-L", "ephemeral0"] },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Each_file_system_is_made_by_its_mkfs_with_the_label(string fileSystem, string program, string package, string[] arguments)
    {
        var command = EphemeralTemplates.FormatEphemeral(new FileSystemChoice(fileSystem, FileSystemSource.DefaultEphemeralFormat), EphemeralTemplates.Label);

        command.Program.ShouldBe(program);
        command.DebianPackage.ShouldBe(package);
        command.Arguments.ShouldBe(arguments);
    }

    [Fact]
    public void Swap_is_made_by_mkswap_without_a_label()
    {
        EphemeralTemplates.FormatSwap().ShouldBe(new FormatCommand("mkswap", "util-linux", []), new FormatCommandComparer());
    }

    [Fact]
    public void A_file_system_Vireo_cannot_make_is_refused_naming_the_option_and_the_choices()
    {
        var error = Should.Throw<VireoException>(() =>
            EphemeralTemplates.FormatEphemeral(new FileSystemChoice("btrfs", FileSystemSource.DefaultEphemeralFormat), "ephemeral0"));

        error.Kind.ShouldBe(ErrorKind.InvalidInput);
        error.Message.ShouldContain("[DEFAULT] default_ephemeral_format");
        error.Message.ShouldContain("'btrfs'");
        error.Message.ShouldContain("ext4");
    }

    private sealed class FormatCommandComparer : IEqualityComparer<FormatCommand>
    {
        public bool Equals(FormatCommand? x, FormatCommand? y) =>
            x is not null && y is not null && x.Program == y.Program && x.DebianPackage == y.DebianPackage && x.Arguments.SequenceEqual(y.Arguments);

        public int GetHashCode(FormatCommand obj) => obj.Program.GetHashCode(StringComparison.Ordinal);
    }
}
