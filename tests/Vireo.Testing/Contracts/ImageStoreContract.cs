using System.Security.Cryptography;
using Shouldly;
using Vireo.Core.Ports;
using Xunit;

namespace Vireo.Testing.Contracts;

/// <summary>
/// What callers of <see cref="IImageStore"/> rely on for the operations the fake models, asserted the
/// same way for the fake and for Storage's FileImageStore on a temporary state_path: an import is
/// active with the size and hashes of what was streamed and reads back byte for byte; Glance's
/// create-then-upload goes queued to active once; NotFound for an unknown image and for content an
/// image does not have; Conflict for a second upload.
/// </summary>
public abstract class ImageStoreContract
{
    protected abstract IImageStore Store { get; }

    /// <summary>The metadata the store registers its images in.</summary>
    protected abstract IImageCatalog Catalog { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>64 KiB that no format inspector takes for anything but raw.</summary>
    private static byte[] RawContent()
    {
        var bytes = new byte[64 * 1024];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }

        bytes[0] = 0x42;
        return bytes;
    }

    private static ImageImportRequest Request(string name, DiskFormat? diskFormat = DiskFormat.Raw) =>
        new(name, diskFormat, "bare", new Dictionary<string, string> { ["os_distro"] = "cirros" });

    [Fact(Timeout = 120_000)]
    public async Task An_import_is_active_with_the_size_and_hashes_of_the_content_and_reads_back_byte_for_byte()
    {
        var content = RawContent();
        using var stream = new MemoryStream(content);

        var image = await Store.ImportAsync(Request("contract-import"), stream, null, Ct);

        image.Status.ShouldBe(ImageStatus.Active);
        image.Name.ShouldBe("contract-import");
        image.DiskFormat.ShouldBe(DiskFormat.Raw);
        image.SizeBytes.ShouldBe(content.Length);
        image.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(content)));
#pragma warning disable CA5351 // Glance's checksum is MD5; it identifies, it does not protect.
        image.Md5.ShouldBe(Convert.ToHexStringLower(MD5.HashData(content)));
#pragma warning restore CA5351
        image.Properties["os_distro"].ShouldBe("cirros");
        var registered = await Catalog.GetAsync(image.Id, Ct);
        registered.ShouldNotBeNull().Status.ShouldBe(ImageStatus.Active);
        registered.Sha256.ShouldBe(image.Sha256);
        await using var stored = await Store.OpenContentAsync(image.Id, Ct);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy, Ct);
        copy.ToArray().ShouldBe(content);
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_way_in_keeps_the_owner_and_visibility_asked_for_through_to_the_active_image()
    {
        ImageImportRequest Owned(string name) => Request(name) with { Owner = "projX", Visibility = Core.Tenancy.ImageVisibility.Community };

        using var imported = new MemoryStream(RawContent());
        var import = await Store.ImportAsync(Owned("contract-owned-import"), imported, null, Ct);
        var queued = await Store.RegisterAsync(Owned("contract-owned-queued"), Ct);
        using var uploaded = new MemoryStream(RawContent());
        await Store.UploadAsync(queued.Id, uploaded, null, Ct);
        var saving = await Store.BeginSavingAsync(Owned("contract-owned-saving"), Ct);
        using var saved = new MemoryStream(RawContent());
        await Store.FinishSavingAsync(saving.Image.Id, saved, null, Ct);

        foreach (var id in new[] { import.Id, queued.Id, saving.Image.Id })
        {
            var read = (await Catalog.GetAsync(id, Ct)).ShouldNotBeNull();
            read.Status.ShouldBe(ImageStatus.Active);
            read.Owner.ShouldBe("projX");
            read.Visibility.ShouldBe(Core.Tenancy.ImageVisibility.Community);
        }

        (await Store.ImportAsync(Request("contract-default-owner"), new MemoryStream(RawContent()), null, Ct)).Visibility
            .ShouldBe(Core.Tenancy.ImageVisibility.Private, "private unless asked, as Glance");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_created_image_is_queued_without_content_until_its_one_upload()
    {
        var queued = await Store.RegisterAsync(Request("contract-queued"), Ct);

        queued.Status.ShouldBe(ImageStatus.Queued);
        queued.SizeBytes.ShouldBeNull();
        queued.Sha256.ShouldBeNull();
        (await Catalog.GetAsync(queued.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Queued);
        (await KindOf(() => Store.OpenContentAsync(queued.Id, Ct))).ShouldBe(ErrorKind.NotFound, "a queued image has no content");

        var content = RawContent();
        using (var stream = new MemoryStream(content))
        {
            var active = await Store.UploadAsync(queued.Id, stream, null, Ct);
            active.Status.ShouldBe(ImageStatus.Active);
            active.SizeBytes.ShouldBe(content.Length);
            active.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(content)));
        }

        (await Catalog.GetAsync(queued.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Active);
        using var again = new MemoryStream(content);
        (await KindOf(() => Store.UploadAsync(queued.Id, again, null, Ct))).ShouldBe(ErrorKind.Conflict, "data is uploaded once");
    }

    [Fact(Timeout = 120_000)]
    public async Task Delete_removes_metadata_and_content_and_an_unknown_image_is_not_found()
    {
        using var stream = new MemoryStream(RawContent());
        var image = await Store.ImportAsync(Request("contract-delete"), stream, null, Ct);

        await Store.DeleteAsync(image.Id, Ct);

        (await Catalog.GetAsync(image.Id, Ct)).ShouldBeNull();
        (await KindOf(() => Store.OpenContentAsync(image.Id, Ct))).ShouldBe(ErrorKind.NotFound);
        (await KindOf(() => Store.DeleteAsync(image.Id, Ct))).ShouldBe(ErrorKind.NotFound);
        using var upload = new MemoryStream(RawContent());
        (await KindOf(() => Store.UploadAsync(Guid.NewGuid(), upload, null, Ct))).ShouldBe(ErrorKind.NotFound);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_saving_image_is_listed_at_once_becomes_active_with_its_content_and_an_abandoned_one_is_gone()
    {
        var saving = await Store.BeginSavingAsync(Request("contract-saving"), Ct);

        saving.Image.Status.ShouldBe(ImageStatus.Saving);
        (await Catalog.GetAsync(saving.Image.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Saving);
        saving.Deleted.IsCancellationRequested.ShouldBeFalse();
        var content = RawContent();
        using (var stream = new MemoryStream(content))
        {
            var active = await Store.FinishSavingAsync(saving.Image.Id, stream, null, Ct);
            active.Status.ShouldBe(ImageStatus.Active);
            active.SizeBytes.ShouldBe(content.Length);
            active.Properties["os_distro"].ShouldBe("cirros");
        }

        (await Catalog.GetAsync(saving.Image.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(ImageStatus.Active);
        await Store.AbandonSavingAsync(saving.Image.Id, Ct);
        (await Catalog.GetAsync(saving.Image.Id, Ct)).ShouldNotBeNull("abandoning leaves an active image alone");

        var failed = await Store.BeginSavingAsync(Request("contract-abandoned"), Ct);
        await Store.AbandonSavingAsync(failed.Image.Id, Ct);
        (await Catalog.GetAsync(failed.Image.Id, Ct)).ShouldBeNull();
        await Store.AbandonSavingAsync(failed.Image.Id, Ct);
    }

    [Fact(Timeout = 120_000)]
    public async Task Deleting_a_saving_image_cancels_its_token_and_its_data_is_then_not_found()
    {
        var saving = await Store.BeginSavingAsync(Request("contract-deleted-saving"), Ct);

        await Store.DeleteAsync(saving.Image.Id, Ct);

        saving.Deleted.IsCancellationRequested.ShouldBeTrue();
        (await Catalog.GetAsync(saving.Image.Id, Ct)).ShouldBeNull();
        using var stream = new MemoryStream(RawContent());
        (await KindOf(() => Store.FinishSavingAsync(saving.Image.Id, stream, null, Ct))).ShouldBe(ErrorKind.NotFound);
    }

    private static async Task<ErrorKind?> KindOf(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (VireoException e)
        {
            return e.Kind;
        }
    }
}
