namespace Vireo.Core.Ports;

/// <summary>The columns a server list may be sorted by: Nova's <c>sort_key</c> values that name a column always set.</summary>
public enum InstanceSortKey
{
    CreatedAt,
    UpdatedAt,
    Name,
    Id,
    VmState,
    Host,
}

/// <summary>
/// A server list as the store answers it (Nova's <c>instance_get_all_by_filters_sort</c>): live servers of one
/// project (all projects when <see cref="ProjectId"/> is null), sorted by <see cref="SortKey"/> then id in the
/// same direction, after <see cref="Marker"/> (the id of the last server of the previous page, which must be in
/// the list: InvalidInput "marker [X] not found" otherwise), at most <see cref="Limit"/> of them.
/// </summary>
public sealed record InstanceQuery
{
    public string? ProjectId { get; init; }

    public InstanceSortKey SortKey { get; init; } = InstanceSortKey.CreatedAt;

    /// <summary>Nova's default is <c>desc</c>: newest first.</summary>
    public bool Descending { get; init; } = true;

    public Guid? Marker { get; init; }

    public int? Limit { get; init; }

    /// <summary>Nova's sort keys, by their API names.</summary>
    public static IReadOnlyDictionary<string, InstanceSortKey> SortKeyNames { get; } = new Dictionary<string, InstanceSortKey>(StringComparer.Ordinal)
    {
        ["created_at"] = InstanceSortKey.CreatedAt,
        ["updated_at"] = InstanceSortKey.UpdatedAt,
        ["display_name"] = InstanceSortKey.Name,
        ["uuid"] = InstanceSortKey.Id,
        ["vm_state"] = InstanceSortKey.VmState,
        ["host"] = InstanceSortKey.Host,
    };

    /// <summary>Nova's message for a marker that is not in the list (nova/db/main/api.py).</summary>
    public static VireoException MarkerNotFound(Guid marker) =>
        VireoException.InvalidInput($"marker [{marker:D}] not found");

    /// <summary>
    /// The same query over rows in memory, the definition both stores keep: filter, order, marker, limit.
    /// </summary>
    public IReadOnlyList<Instance> Apply(IEnumerable<Instance> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var selected = rows.Where(instance => !instance.IsDeleted && (ProjectId is null || instance.ProjectId == ProjectId));
        var ordered = Order(selected).ToList();
        var start = 0;
        if (Marker is { } marker)
        {
            var at = ordered.FindIndex(instance => instance.Id == marker);
            if (at < 0)
            {
                throw MarkerNotFound(marker);
            }

            start = at + 1;
        }

        var page = ordered.Skip(start);
        return [.. Limit is { } limit ? page.Take(limit) : page];
    }

    private IOrderedEnumerable<Instance> Order(IEnumerable<Instance> rows)
    {
        Func<Instance, string> key = SortKey switch
        {
            InstanceSortKey.CreatedAt => instance => SortableTime(instance.CreatedAt),
            InstanceSortKey.UpdatedAt => instance => SortableTime(instance.UpdatedAt),
            InstanceSortKey.Name => instance => instance.Name,
            InstanceSortKey.Id => IdText,
            InstanceSortKey.VmState => instance => instance.VmState.ToNova(),
            InstanceSortKey.Host => instance => instance.Host,
            _ => throw new ArgumentOutOfRangeException(nameof(SortKey), SortKey, "not a sort key"),
        };
        return Descending
            ? rows.OrderByDescending(key, StringComparer.Ordinal).ThenByDescending(IdText, StringComparer.Ordinal)
            : rows.OrderBy(key, StringComparer.Ordinal).ThenBy(IdText, StringComparer.Ordinal);
    }

    /// <summary>The stores' time text: ISO 8601 UTC with 7 fractional digits, ordered as text.</summary>
    public static string SortableTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string IdText(Instance instance) => instance.Id.ToString("D", System.Globalization.CultureInfo.InvariantCulture);
}
