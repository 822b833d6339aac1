using Vireo.Core.Ports;
using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

/// <summary>A Glance image list's ownership filters: <c>visibility</c> and <c>owner</c>.</summary>
public sealed record ImageListQuery(ImageVisibility? Visibility = null, string? Owner = null);

public sealed partial class ComputeService
{
    /// <summary>
    /// The images the caller's list holds (<see cref="Access.ListsImage"/>: own, public, community only when
    /// filtered for; an admin's holds all), newest first, without deleted ones.
    /// </summary>
    public async Task<IReadOnlyList<ImageRecord>> ListImagesAsync(ImageListQuery query, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(context);
        var all = await _images.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(image => IsLive(image)
            && Access.ListsImage(context, image, query.Visibility)
            && (query.Owner is null || string.Equals(image.Owner, query.Owner, StringComparison.Ordinal)))];
    }

    /// <summary>An image by id; NotFound when there is none, it is deleted, or the caller may not see it.</summary>
    public async Task<ImageRecord> ShowImageAsync(string imageRef, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var image = Guid.TryParse(imageRef, out var id) ? await _images.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        return image is not null && IsLive(image) && Access.CanSeeImage(context, image) ? image : throw ImageNotFound(imageRef);
    }

    /// <summary>
    /// Glance's create: a queued image owned by the caller's project, with the visibility asked for
    /// (private by default; public only for admins, Glance's <c>publicize_image</c>).
    /// </summary>
    public Task<ImageRecord> RegisterImageAsync(ImageImportRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var owned = Owned(request, context);
        return RequireImageStore().RegisterAsync(owned, cancellationToken);
    }

    /// <summary>Vireo's one-step import, owned as <see cref="RegisterImageAsync"/>.</summary>
    public Task<ImageRecord> ImportImageAsync(ImageImportRequest request, Stream content, IProgress<long>? progress, RequestContext context, CancellationToken cancellationToken)
    {
        var owned = Owned(request, context);
        return RequireImageStore().ImportAsync(owned, content, progress, cancellationToken);
    }

    /// <summary>Glance's upload of a queued image's data: the owner's or an admin's (NotFound when unseen, Forbidden when seen but not theirs).</summary>
    public async Task<ImageRecord> UploadImageAsync(string imageRef, Stream content, IProgress<long>? progress, RequestContext context, CancellationToken cancellationToken)
    {
        var image = await ChangeableImageAsync(imageRef, "upload data to", context, cancellationToken).ConfigureAwait(false);
        return await RequireImageStore().UploadAsync(image.Id, content, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an image: the owner's or an admin's (NotFound when unseen, Forbidden when seen but not theirs).</summary>
    public async Task DeleteImageAsync(string imageRef, RequestContext context, CancellationToken cancellationToken)
    {
        var image = await ChangeableImageAsync(imageRef, "delete", context, cancellationToken).ConfigureAwait(false);
        await RequireImageStore().DeleteAsync(image.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The image's bytes for a caller who may see it; null while it has none (not active).</summary>
    public async Task<(ImageRecord Image, Stream? Content)> OpenImageContentAsync(string imageRef, RequestContext context, CancellationToken cancellationToken)
    {
        var image = await ShowImageAsync(imageRef, context, cancellationToken).ConfigureAwait(false);
        if (image.Status != ImageStatus.Active)
        {
            return (image, null);
        }

        return (image, await RequireImageStore().OpenContentAsync(image.Id, cancellationToken).ConfigureAwait(false));
    }

    private static bool IsLive(ImageRecord image) => image.Status is not (ImageStatus.Deleted or ImageStatus.PendingDelete);

    private static ImageImportRequest Owned(ImageImportRequest request, RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        Access.EnsureMayGive(context, request.Visibility);
        return request with { Owner = context.ProjectId };
    }

    private async Task<ImageRecord> ChangeableImageAsync(string imageRef, string verb, RequestContext context, CancellationToken cancellationToken)
    {
        var image = await ShowImageAsync(imageRef, context, cancellationToken).ConfigureAwait(false);
        return Access.CanChangeImage(context, image)
            ? image
            : throw new VireoException(ErrorKind.Forbidden, $"You are not permitted to {verb} image '{imageRef}': only its owner or an administrator may.");
    }

    private IImageStore RequireImageStore() =>
        _imageStore ?? throw new VireoException(ErrorKind.Unavailable, "this service has no image store; use `vireo serve` to manage images");

    private static VireoException ImageNotFound(string imageRef) =>
        VireoException.NotFound($"image '{imageRef}' does not exist; list the images to see their ids and names");
}
