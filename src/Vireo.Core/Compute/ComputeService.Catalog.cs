using Vireo.Core.Tenancy;

namespace Vireo.Core.Compute;

public sealed partial class ComputeService
{
    private const long BytesPerGiB = 1L << 30;

    /// <summary>Every flavor: all are public here, so every caller sees them all.</summary>
    public Task<IReadOnlyList<Flavor>> ListFlavorsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _flavors.ListAsync(cancellationToken);
    }

    /// <summary>A flavor by id ("1") or name ("m1.tiny"); NotFound otherwise.</summary>
    public Task<Flavor> ShowFlavorAsync(string flavorRef, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ResolveFlavorAsync(flavorRef, cancellationToken);
    }

    /// <summary>
    /// Adds a flavor; Conflict when its id or name is taken, or its id is another flavor's name or
    /// its name another's id (<see cref="FlavorRules.Clash"/>). Creates run one at a time, so the
    /// check and the add see the same catalog. Admins only (Nova's <c>os_compute_api:os-flavor-manage:create</c>).
    /// </summary>
    public async Task<Flavor> CreateFlavorAsync(Flavor flavor, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        Policy.Enforce(context, Policy.FlavorCreate);
        await _flavorCreates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = await _flavors.ListAsync(cancellationToken).ConfigureAwait(false);
            if (FlavorRules.Clash(existing, flavor) is { } clash)
            {
                throw VireoException.Conflict(clash);
            }

            await _flavors.AddAsync(flavor, cancellationToken).ConfigureAwait(false);
            return flavor;
        }
        finally
        {
            _flavorCreates.Release();
        }
    }

    /// <summary>
    /// Deletes a flavor by id or name. Refused (Conflict) while a server uses it: instances keep
    /// only the flavor's id, so its sizes must outlive them (Nova copies the flavor instead).
    /// </summary>
    public async Task<Flavor> DeleteFlavorAsync(string flavorRef, RequestContext context, CancellationToken cancellationToken)
    {
        Policy.Enforce(context, Policy.FlavorDelete);
        var flavor = await ResolveFlavorAsync(flavorRef, cancellationToken).ConfigureAwait(false);
        var users = (await _store.ListAsync(includeDeleted: false, cancellationToken).ConfigureAwait(false))
            .Where(instance => instance.FlavorId == flavor.Id)
            .Select(instance => instance.Name)
            .ToList();
        if (users.Count > 0)
        {
            throw VireoException.Conflict(
                $"{flavor.Label} is used by {users.Count} server(s) ({string.Join(", ", users.Take(5))}); delete them before the flavor");
        }

        return await _flavors.DeleteAsync(flavor.Id, cancellationToken).ConfigureAwait(false)
            ? flavor
            : throw VireoException.NotFound($"flavor '{flavorRef}' does not exist; list the flavors to see their ids and names");
    }

    private async Task<Flavor> ResolveFlavorAsync(string flavorRef, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(flavorRef))
        {
            throw VireoException.InvalidInput("a flavor is required; give its id or name, e.g. m1.tiny");
        }

        return await _flavors.GetAsync(flavorRef, cancellationToken).ConfigureAwait(false)
            ?? await _flavors.FindByNameAsync(flavorRef, cancellationToken).ConfigureAwait(false)
            ?? throw VireoException.NotFound($"flavor '{flavorRef}' does not exist; list the flavors to see their ids and names");
    }

    /// <summary>
    /// An active image the caller may boot: by id when it may see it (<see cref="Access.CanSeeImage"/>), by
    /// name among the images in its list. Another project's private image is not found, as one that does not exist.
    /// </summary>
    private async Task<ImageRecord> ResolveImageAsync(string imageRef, RequestContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(imageRef))
        {
            throw VireoException.InvalidInput("an image is required; give its id or name");
        }

        ImageRecord? image;
        if (Guid.TryParse(imageRef, out var id))
        {
            image = await _images.GetAsync(id, cancellationToken).ConfigureAwait(false);
            image = image is not null && Access.CanSeeImage(context, image) ? image : null;
        }
        else
        {
            var matches = (await _images.FindByNameAsync(imageRef, cancellationToken).ConfigureAwait(false))
                .Where(candidate => Access.ListsImage(context, candidate, visibilityFilter: null))
                .ToList();
            if (matches.Count > 1)
            {
                throw VireoException.Conflict($"image name '{imageRef}' matches {matches.Count} images; give the id of the one you mean");
            }

            image = matches.Count == 1 ? matches[0] : null;
        }

        if (image is null || image.Status is ImageStatus.Deleted or ImageStatus.PendingDelete)
        {
            throw VireoException.NotFound($"image '{imageRef}' does not exist; list the images to see their ids and names");
        }

        if (image.Status != ImageStatus.Active)
        {
            throw VireoException.Conflict($"{image.Label} is {image.Status.ToGlance()}; only an active image can boot a server (finish its upload first)");
        }

        return image;
    }

    /// <summary>Nova's flavor-versus-image checks (<c>compute/api.py _validate_flavor_image</c>).</summary>
    private static void EnsureFits(ImageRecord image, Flavor flavor)
    {
        if (image.MinRamMiB > flavor.MemoryMiB)
        {
            throw VireoException.InvalidInput(
                $"{flavor.Label} has {flavor.MemoryMiB} MiB of memory but {image.Label} needs at least {image.MinRamMiB} MiB (its min_ram); choose a larger flavor");
        }

        // A root disk of 0 GiB means "as large as the image", as in Nova.
        if (flavor.RootDiskGiB == 0)
        {
            return;
        }

        if (image.MinDiskGiB > flavor.RootDiskGiB)
        {
            throw VireoException.InvalidInput(
                $"{flavor.Label} has a {flavor.RootDiskGiB} GiB root disk but {image.Label} needs at least {image.MinDiskGiB} GiB (its min_disk); choose a larger flavor");
        }

        if (image.VirtualSizeBytes is { } virtualSize && virtualSize > flavor.RootDiskGiB * BytesPerGiB)
        {
            throw VireoException.InvalidInput(
                $"{flavor.Label} has a {flavor.RootDiskGiB} GiB root disk but {image.Label} has a virtual size of {virtualSize} bytes; choose a larger flavor");
        }
    }
}
