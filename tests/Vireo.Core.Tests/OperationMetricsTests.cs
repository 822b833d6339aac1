using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Vireo.Core.Compute;
using Vireo.Core.Diagnostics;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

/// <summary>The meter is process-wide: these tests run alone so no other test's operations are counted with theirs.</summary>
[CollectionDefinition(nameof(MeterCollection), DisableParallelization = true)]
public sealed class MeterCollection;

[Collection(nameof(MeterCollection))]
public sealed class OperationMetricsTests : IDisposable
{
    private readonly FakeHost _host = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measurements = new();

    public OperationMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == VireoMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.Start();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_create_and_a_delete_that_succeed_are_each_counted_once_with_their_duration()
    {
        var service = _host.Service();
        await service.CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);
        await service.DeleteServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);

        Operations().ShouldBe([("create", "success"), ("delete", "success")]);
        Durations().ShouldBe([("create", "success"), ("delete", "success")]);
    }

    [Fact]
    public async Task Power_operations_are_counted_by_kind()
    {
        var service = _host.Service();
        await service.CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);
        await service.StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        await service.StartServerAsync(_host.IdOf("web1"), Callers.Admin, Ct);
        await service.RebootServerAsync(_host.IdOf("web1"), RebootType.Soft, Callers.Admin, Ct);
        await service.RebootServerAsync(_host.IdOf("web1"), RebootType.Hard, Callers.Admin, Ct);

        Operations().ShouldBe([("create", "success"), ("stop", "success"), ("start", "success"), ("reboot_soft", "success"), ("reboot_hard", "success")]);
    }

    [Fact]
    public async Task An_operation_the_state_does_not_allow_is_counted_as_refused_and_an_unknown_server_too()
    {
        var service = _host.Service();
        await service.CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);

        await Should.ThrowAsync<VireoException>(() => service.StartServerAsync(_host.IdOf("web1"), Callers.Admin, Ct));
        await Should.ThrowAsync<VireoException>(() => service.DeleteServerAsync("nobody", Callers.Admin, Ct));
        await Should.ThrowAsync<VireoException>(() => service.CreateServerAsync(FakeHost.Request(flavor: "m1.huge"), Callers.Admin, Ct));

        Operations().ShouldBe([("create", "success"), ("start", "refused"), ("delete", "refused"), ("create", "refused")]);
    }

    [Fact]
    public async Task A_build_that_fails_is_counted_as_an_error_and_a_store_failure_before_accepting_too()
    {
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync));
        await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));
        _host.Store.Failures.FailOn(nameof(IInstanceStore.AddAsync), ErrorKind.Unavailable);
        await Should.ThrowAsync<VireoException>(() => _host.Service().CreateServerAsync(FakeHost.Request("web2"), Callers.Admin, Ct));

        Operations().ShouldBe([("create", "error"), ("create", "error")]);
    }

    [Fact]
    public async Task Reconciliation_counts_each_action_by_name_and_outcome()
    {
        await InterruptedDeleteAsync();

        var report = await _host.Service().ReconcileAsync(Callers.Admin, Ct);

        report.Done.Count.ShouldBe(3);
        Reconciled().ShouldBe([("destroy_guest", "done"), ("remove_files", "done"), ("finish_delete", "done")]);
    }

    [Fact]
    public async Task A_failed_repair_is_counted_failed_and_the_instances_later_repairs_skipped()
    {
        await InterruptedDeleteAsync();
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.DestroyGuestAsync));

        await _host.Service().ReconcileAsync(Callers.Admin, Ct);

        Reconciled().ShouldBe([("destroy_guest", "failed"), ("remove_files", "skipped"), ("finish_delete", "skipped")]);
    }

    /// <summary>A server whose delete was accepted when the service died: its guest and files are still there.</summary>
    private async Task InterruptedDeleteAsync()
    {
        var created = await _host.CreateActiveAsync();
        _host.Store.Put(_host.Row(created.Id) with { TaskState = TaskState.Deleting });
        _measurements.Clear();
    }

    private List<(string Kind, string Result)> Operations() =>
        [.. _measurements.Where(m => m.Instrument == "vireo.operations").Select(m => (m.Tags["kind"]!, m.Tags["result"]!))];

    private List<(string Kind, string Result)> Durations() =>
        [.. _measurements.Where(m => m.Instrument == "vireo.operation.duration" && m.Value >= 0).Select(m => (m.Tags["kind"]!, m.Tags["result"]!))];

    private List<(string Action, string Outcome)> Reconciled() =>
        [.. _measurements.Where(m => m.Instrument == "vireo.reconcile.actions").Select(m => (m.Tags["action"]!, m.Tags["outcome"]!))];

    private void Keep<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }
}
