using System.Collections.Concurrent;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Storage.Tests.TestSupport;

/// <summary>Image metadata in a dictionary, with the port's Conflict/NotFound rules.</summary>
public sealed class InMemoryImageRegistry : IImageRegistry
{
    private readonly ConcurrentDictionary<Guid, ImageRecord> _images = new();

    public IReadOnlyCollection<ImageRecord> All => [.. _images.Values];

    public Task AddAsync(ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!_images.TryAdd(image.Id, image))
        {
            throw VireoException.Conflict($"image {image.Id} exists");
        }

        return Task.CompletedTask;
    }

    public Task UpdateAsync(ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!_images.ContainsKey(image.Id))
        {
            throw VireoException.NotFound($"image {image.Id} does not exist");
        }

        _images[image.Id] = image;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_images.TryRemove(id, out _));

    public Task<ImageRecord?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(_images.TryGetValue(id, out var image) ? image : null);

    public Task<IReadOnlyList<ImageRecord>> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ImageRecord>>([.. _images.Values.Where(i => i.Name == name)]);

    public Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ImageRecord>>([.. _images.Values.OrderByDescending(i => i.CreatedAt)]);
}
