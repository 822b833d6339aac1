using Vireo.Core;

namespace Vireo.Storage.Tests;

public sealed class StorageFullTests
{
    [Theory]
    [InlineData(28, true)]
    [InlineData(122, true)]
    [InlineData(5, false)]
    [InlineData(0, false)]
    public void Enospc_and_edquot_count_as_a_full_disk_and_other_errors_do_not(int errno, bool full)
    {
        StorageFull.IsDiskFull(new IOException("write failed", errno)).ShouldBe(full);
    }

    [Fact]
    public void A_childs_no_space_message_is_recognised()
    {
        StorageFull.IsNoSpaceMessage("qemu-img: error while writing at byte 0: No space left on device").ShouldBeTrue();
        StorageFull.IsNoSpaceMessage("qemu-img: Could not open '/x': No such file or directory").ShouldBeFalse();
    }

    [Fact]
    public void The_refusal_is_too_large_in_glances_words()
    {
        var error = StorageFull.Exception("no space left on the device holding /s/images", null);

        error.Kind.ShouldBe(ErrorKind.TooLarge);
        error.Message.ShouldStartWith("Image storage media is full: no space left on the device holding /s/images");
    }
}
