namespace Vireo.Core.Ports;

/// <summary>Read access to the metadata of registered images.</summary>
public interface IImageCatalog
{
    Task<ImageRecord?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Images with exactly this name; Glance allows several.</summary>
    Task<IReadOnlyList<ImageRecord>> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>All images, newest first.</summary>
    Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Writes to the image metadata; the image store (upload, import) drives it.</summary>
public interface IImageRegistry : IImageCatalog
{
    /// <summary>Adds an image; <see cref="ErrorKind.Conflict"/> when the id exists.</summary>
    Task AddAsync(ImageRecord image, CancellationToken cancellationToken);

    /// <summary>Replaces an image's metadata and properties; <see cref="ErrorKind.NotFound"/> when it is gone.</summary>
    Task UpdateAsync(ImageRecord image, CancellationToken cancellationToken);

    /// <summary>Removes the image's metadata; false when there was none.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);
}
