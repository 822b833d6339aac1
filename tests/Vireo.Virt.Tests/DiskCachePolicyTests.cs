using Vireo.DomainXml;

namespace Vireo.Virt.Tests;

public sealed class DiskCachePolicyTests
{
    private static readonly Dictionary<string, string> Unset = [];

    [Theory]
    [InlineData(true, DiskCache.None)]
    [InlineData(false, DiskCache.Writeback)]
    public void Without_disk_cachemodes_it_is_none_with_o_direct_and_writeback_without(bool directIo, DiskCache expected)
    {
        DiskCachePolicy.Choose(Unset, directIo).ShouldBe((expected, null));
    }

    [Theory]
    [InlineData("writethrough", true, DiskCache.Writethrough)]
    [InlineData("unsafe", false, DiskCache.Unsafe)]
    [InlineData("directsync", true, DiskCache.Directsync)]
    [InlineData("none", true, DiskCache.None)]
    public void The_file_entry_of_disk_cachemodes_wins(string mode, bool directIo, DiskCache expected)
    {
        DiskCachePolicy.Choose(new Dictionary<string, string> { ["file"] = mode, ["block"] = "none" }, directIo).ShouldBe((expected, null));
    }

    [Fact]
    public void File_none_without_o_direct_falls_back_to_writeback_with_a_warning_naming_the_option()
    {
        var (mode, warning) = DiskCachePolicy.Choose(new Dictionary<string, string> { ["file"] = "none" }, directIo: false);

        mode.ShouldBe(DiskCache.Writeback);
        warning.ShouldNotBeNull().ShouldContain("[libvirt] disk_cachemodes asks file=none");
    }

    [Fact]
    public void Entries_for_other_source_types_do_not_change_file_disks()
    {
        DiskCachePolicy.Choose(new Dictionary<string, string> { ["block"] = "writethrough", ["network"] = "writeback" }, directIo: true)
            .ShouldBe((DiskCache.None, null));
    }
}
