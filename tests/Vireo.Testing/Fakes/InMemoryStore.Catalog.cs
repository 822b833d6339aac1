using Vireo.Core.Ports;

namespace Vireo.Testing.Fakes;

/// <summary>Flavors and image metadata, with the SQLite store's conflicts and orderings.</summary>
public sealed partial class InMemoryStore
{
    Task<Flavor?> IFlavorStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        Read("Flavor.GetAsync");
        lock (_lock)
        {
            return Task.FromResult(_flavors.GetValueOrDefault(id));
        }
    }

    Task<Flavor?> IFlavorStore.FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        Read("Flavor.FindByNameAsync");
        lock (_lock)
        {
            return Task.FromResult(_flavors.Values.FirstOrDefault(flavor => flavor.Name == name));
        }
    }

    /// <summary>As the SQLite store: numeric-looking ids in numeric order ("2" before "10"), then by id.</summary>
    Task<IReadOnlyList<Flavor>> IFlavorStore.ListAsync(CancellationToken cancellationToken)
    {
        Read("Flavor.ListAsync");
        lock (_lock)
        {
            IReadOnlyList<Flavor> list = [.. _flavors.Values.OrderBy(flavor => flavor.Id.Length).ThenBy(flavor => flavor.Id, StringComparer.Ordinal)];
            return Task.FromResult(list);
        }
    }

    Task IFlavorStore.AddAsync(Flavor flavor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        Write("Flavor.AddAsync");
        lock (_lock)
        {
            if (_flavors.ContainsKey(flavor.Id) || _flavors.Values.Any(other => other.Name == flavor.Name))
            {
                throw VireoException.Conflict($"a flavor with id '{flavor.Id}' or name '{flavor.Name}' already exists; choose another");
            }

            _flavors[flavor.Id] = flavor;
        }

        return Task.CompletedTask;
    }

    Task<bool> IFlavorStore.DeleteAsync(string id, CancellationToken cancellationToken)
    {
        Write("Flavor.DeleteAsync");
        lock (_lock)
        {
            return Task.FromResult(_flavors.Remove(id));
        }
    }

    Task<ImageRecord?> IImageCatalog.GetAsync(Guid id, CancellationToken cancellationToken)
    {
        Read("Image.GetAsync");
        lock (_lock)
        {
            return Task.FromResult(_images.GetValueOrDefault(id));
        }
    }

    Task<IReadOnlyList<ImageRecord>> IImageCatalog.FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        Read("Image.FindByNameAsync");
        lock (_lock)
        {
            IReadOnlyList<ImageRecord> list = [.. Newest(_images.Values.Where(image => image.Name == name))];
            return Task.FromResult(list);
        }
    }

    Task<IReadOnlyList<ImageRecord>> IImageCatalog.ListAsync(CancellationToken cancellationToken)
    {
        Read("Image.ListAsync");
        lock (_lock)
        {
            IReadOnlyList<ImageRecord> list = [.. Newest(_images.Values)];
            return Task.FromResult(list);
        }
    }

    Task IImageRegistry.AddAsync(ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        Write("Image.AddAsync");
        lock (_lock)
        {
            if (!_images.TryAdd(image.Id, image))
            {
                throw VireoException.Conflict($"{image.Label} already exists");
            }
        }

        return Task.CompletedTask;
    }

    Task IImageRegistry.UpdateAsync(ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        Write("Image.UpdateAsync");
        lock (_lock)
        {
            if (!_images.ContainsKey(image.Id))
            {
                throw VireoException.NotFound($"image {image.Id} does not exist");
            }

            _images[image.Id] = image;
        }

        return Task.CompletedTask;
    }

    Task<bool> IImageRegistry.DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        Write("Image.DeleteAsync");
        lock (_lock)
        {
            return Task.FromResult(_images.Remove(id));
        }
    }

    /// <summary>This store as its image metadata port (the members are explicit, as the ports share names).</summary>
    public IImageRegistry AsRegistry => this;

    /// <summary>This store as its flavor port.</summary>
    public IFlavorStore AsFlavors => this;

    /// <summary>Every image's metadata, in no order.</summary>
    public IReadOnlyCollection<ImageRecord> Images
    {
        get
        {
            lock (_lock)
            {
                return [.. _images.Values];
            }
        }
    }

    private static IEnumerable<ImageRecord> Newest(IEnumerable<ImageRecord> images) =>
        images.OrderByDescending(image => image.CreatedAt).ThenBy(image => Key(image.Id), StringComparer.Ordinal);
}
