namespace Vireo.Core.Ports;

/// <summary>What a client declares when it imports an image; the content follows as a stream.</summary>
/// <param name="DiskFormat">The declared format (one of <see cref="DiskFormats.Accepted"/>); checked against the content before the image is accepted. Null only for a Glance create that sets it later.</param>
public sealed record ImageImportRequest(
    string Name,
    DiskFormat? DiskFormat,
    string? ContainerFormat,
    IReadOnlyDictionary<string, string> Properties,
    int MinDiskGiB = 0,
    int MinRamMiB = 0)
{
    /// <summary>The owning project the registered image gets (the caller's; a snapshot's is its server's).</summary>
    public string Owner { get; init; } = Tenancy.Owners.DefaultProjectId;

    /// <summary>The visibility the registered image gets; private unless asked (Glance's default).</summary>
    public Tenancy.ImageVisibility Visibility { get; init; } = Tenancy.ImageVisibility.Private;
}

/// <summary>An image being made by a snapshot: its record (status saving) and a token cancelled when the image is deleted before it is complete.</summary>
public sealed record ImageSaving(ImageRecord Image, CancellationToken Deleted);

/// <summary>
/// The image store: image bytes under state_path plus their metadata. The service only ever
/// reads bytes a client streamed to it; it never opens a path a client names.
/// </summary>
public interface IImageStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store, computing size and sha256, checks it
    /// (declared format matches, no backing or data file) and registers the image as active.
    /// On refusal (<see cref="ErrorKind.InvalidInput"/> with the reason) nothing is kept.
    /// <paramref name="progress"/> receives the number of bytes stored so far.
    /// </summary>
    Task<ImageRecord> ImportAsync(ImageImportRequest request, Stream content, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Glance's create: registers a <c>queued</c> image without data; the declared format and the
    /// properties Vireo reads are checked now (<see cref="ErrorKind.InvalidInput"/>).
    /// </summary>
    Task<ImageRecord> RegisterAsync(ImageImportRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Glance's upload: the data of a queued image, checked as for an import; the image is then
    /// active. A refused upload keeps nothing and leaves the image queued. NotFound, Conflict (not
    /// queued, or an upload already running), InvalidInput (no disk_format/container_format, or
    /// refused content).
    /// </summary>
    Task<ImageRecord> UploadAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>Removes the image's bytes and metadata; <see cref="ErrorKind.NotFound"/> when there is none.
    /// Instances booted from it keep their cached base.</summary>
    Task DeleteAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Opens the stored bytes for reading (the base image cache copies from it).</summary>
    Task<Stream> OpenContentAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// A snapshot's first step: registers the image as <c>saving</c> with the declared format and
    /// properties (checked now, <see cref="ErrorKind.InvalidInput"/>), so it can be shown at once.
    /// Deleting it before <see cref="FinishSavingAsync"/> cancels <see cref="ImageSaving.Deleted"/>.
    /// </summary>
    Task<ImageSaving> BeginSavingAsync(ImageImportRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The snapshot's data, checked as for an import (the inspector with the declared format); the
    /// image is then active. A refused or failed save keeps no byte and leaves the image saving, for
    /// <see cref="AbandonSavingAsync"/>; NotFound when it was deleted meanwhile (nothing kept).
    /// </summary>
    Task<ImageRecord> FinishSavingAsync(Guid id, Stream content, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>Removes an image that is still saving (a failed snapshot), its record and any byte. Idempotent; an active image is left alone.</summary>
    Task AbandonSavingAsync(Guid id, CancellationToken cancellationToken);
}
