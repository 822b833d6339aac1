using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vireo.Core.Diagnostics;

/// <summary>
/// The service's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/> (System.Diagnostics.Metrics;
/// the composition root exports them at <c>/metrics</c> in Prometheus format). Every component records through
/// these static members, so an instrument has exactly one name and one set of tags.
/// </summary>
public static class VireoMetrics
{
    public const string MeterName = "Vireo";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static long quarantinedOrphans;

    /// <summary>Compute operations (create, start, stop, reboot, delete...) by kind and result (success, error, refused).</summary>
    public static readonly Counter<long> Operations =
        Meter.CreateCounter<long>("vireo.operations", unit: "{operation}", description: "Compute operations by kind and result.");

    /// <summary>How long compute operations took, by kind and result.</summary>
    public static readonly Histogram<double> OperationDuration =
        Meter.CreateHistogram<double>("vireo.operation.duration", unit: "s", description: "Duration of compute operations by kind and result.");

    /// <summary>Start-up reconciliation actions by action and outcome (done, failed, skipped, quarantined).</summary>
    public static readonly Counter<long> ReconcileOutcomes =
        Meter.CreateCounter<long>("vireo.reconcile.actions", unit: "{action}", description: "Reconciliation actions by action and outcome.");

    /// <summary>Connections to libvirt opened after the first one (each one a reconnect).</summary>
    public static readonly Counter<long> LibvirtReconnects =
        Meter.CreateCounter<long>("vireo.libvirt.reconnects", unit: "{connection}", description: "libvirt connections reopened after the first.");

    /// <summary>Bytes of image data accepted into the image store.</summary>
    public static readonly Counter<long> ImageBytesStored =
        Meter.CreateCounter<long>("vireo.image.stored", unit: "By", description: "Image bytes stored by imports and uploads.");

    /// <summary>Entries the image cache manager removed from the base directory, by kind (base, resized_base, ephemeral_template, swap_template), and RBD bases from the pool (rbd_base).</summary>
    public static readonly Counter<long> ImageCacheRemovals =
        Meter.CreateCounter<long>("vireo.image_cache.removed", unit: "{file}", description: "Unused bases and templates the image cache manager removed, by kind.");

    /// <summary>The kinds <see cref="ImageCacheRemovals"/> is tagged with.</summary>
    public static IReadOnlyList<string> ImageCacheKinds { get; } = ["base", "resized_base", "ephemeral_template", "swap_template", "rbd_base"];

    /// <summary>Owned guests and instance directories with no row, left untouched for an operator (<c>vireo host orphans</c>).</summary>
    public static readonly ObservableGauge<long> QuarantinedOrphans =
        Meter.CreateObservableGauge("vireo.orphans.quarantined", () => Interlocked.Read(ref quarantinedOrphans), unit: "{orphan}",
            description: "Owned guests and instance directories without a database row, quarantined.");

    /// <summary>Sets the quarantined-orphans gauge (reconciliation and purge report the current count).</summary>
    public static void SetQuarantinedOrphans(long count) => Interlocked.Exchange(ref quarantinedOrphans, count);

    /// <summary>Counts one finished operation and records its duration.</summary>
    public static void RecordOperation(string kind, string result, TimeSpan duration)
    {
        var tags = new TagList { { "kind", kind }, { "result", result } };
        Operations.Add(1, tags);
        OperationDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>
    /// Publishes the counters at zero for every label set the service knows in advance, so a scrape
    /// shows each series before its first event and rate() sees the first one (Prometheus' advice for
    /// known label values). Histograms are left alone: a zero would be a duration.
    /// </summary>
    public static void PublishAtZero(IEnumerable<string> operationKinds, IEnumerable<string> reconcileActions)
    {
        ArgumentNullException.ThrowIfNull(operationKinds);
        ArgumentNullException.ThrowIfNull(reconcileActions);
        foreach (var kind in operationKinds)
        {
            foreach (var result in (string[])["success", "error", "refused"])
            {
                Operations.Add(0, new TagList { { "kind", kind }, { "result", result } });
            }
        }

        foreach (var action in reconcileActions)
        {
            foreach (var outcome in (string[])["done", "failed", "skipped"])
            {
                ReconcileOutcomes.Add(0, new TagList { { "action", action }, { "outcome", outcome } });
            }
        }

        LibvirtReconnects.Add(0);
        ImageBytesStored.Add(0);
        foreach (var kind in ImageCacheKinds)
        {
            ImageCacheRemovals.Add(0, new TagList { { "kind", kind } });
        }
    }

    /// <summary>Counts one entry the image cache manager removed.</summary>
    public static void RecordImageCacheRemoval(string kind) =>
        ImageCacheRemovals.Add(1, new TagList { { "kind", kind } });

    /// <summary>Counts one reconciliation action by its name and outcome.</summary>
    public static void RecordReconcile(string action, string outcome) =>
        ReconcileOutcomes.Add(1, new TagList { { "action", action }, { "outcome", outcome } });
}
