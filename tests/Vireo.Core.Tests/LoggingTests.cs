using Microsoft.Extensions.Logging;
using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

/// <summary>Failures Core handles without failing the operation are logged with their stable event ids, never dropped.</summary>
public sealed class LoggingTests
{
    private readonly FakeHost _host = new();
    private readonly RecordingLogger<ComputeService> _log = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failing_undo_in_a_revert_scope_is_logged_as_an_error_with_event_1208()
    {
        var log = new RecordingLogger<RevertScope>();
        await using var scope = new RevertScope(log);
        scope.Add("removing its files", () => Task.CompletedTask);
        scope.Add("undefining its guest", () => throw new InvalidOperationException("libvirt said no"));

        await scope.RevertAsync();

        var entry = log.WithId(1208).ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Error);
        entry.Message.ShouldContain("undefining its guest");
        entry.Message.ShouldContain("libvirt said no");
        entry.Exception.ShouldBeOfType<InvalidOperationException>();
    }

    [Fact]
    public async Task An_undo_that_succeeds_logs_nothing()
    {
        var log = new RecordingLogger<RevertScope>();
        await using var scope = new RevertScope(log);
        scope.Add("removing its files", () => Task.CompletedTask);

        await scope.RevertAsync();

        log.Entries.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failed_build_whose_undo_fails_logs_the_undo_through_the_services_logger()
    {
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync));
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.UndefineGuestAsync));

        await Should.ThrowAsync<VireoException>(() => _host.Service(logger: _log).CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));

        var entry = _log.WithId(1208).ShouldHaveSingleItem();
        entry.Message.ShouldContain("undefining its guest");
        entry.Message.ShouldContain("injected failure in UndefineGuestAsync");
    }

    [Fact]
    public async Task A_history_write_that_fails_does_not_fail_the_create_but_is_logged_with_event_1200()
    {
        _host.Store.Failures.FailOn(nameof(IInstanceStore.AddActionAsync));

        var instance = await _host.Service(logger: _log).CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);

        instance.VmState.ShouldBe(VmState.Active);
        var entry = _log.WithId(1200).ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Warning);
        entry.Message.ShouldContain(instance.Id.ToString());
        entry.Message.ShouldContain("injected failure in AddActionAsync");
    }

    [Fact]
    public async Task A_guest_cpu_that_cannot_be_read_is_logged_with_event_1204()
    {
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.ReadGuestCpuAsync), ErrorKind.Unavailable);

        var instance = await _host.Service(logger: _log).CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct);

        instance.EffectiveCpu.ShouldBeNull();
        _log.WithId(1204).ShouldHaveSingleItem().Message.ShouldContain(instance.Id.ToString());
    }

    [Fact]
    public async Task A_failed_build_that_cannot_be_stored_as_error_is_logged_with_event_1207()
    {
        var service = _host.Service(logger: _log);
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync), () =>
        {
            _host.Store.Failures.FailOn(nameof(IInstanceStore.UpdateAsync));
            return new VireoException(ErrorKind.Failed, "no boot");
        });

        await Should.ThrowAsync<VireoException>(() => service.CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));

        var entry = _log.WithId(1207).ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Error);
        entry.Message.ShouldContain("build");
    }

    [Fact]
    public async Task Every_core_event_id_is_in_cores_range()
    {
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.StartGuestAsync));
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.UndefineGuestAsync));
        _host.Store.Failures.FailOn(nameof(IInstanceStore.FinishActionAsync));

        await Should.ThrowAsync<VireoException>(() => _host.Service(logger: _log).CreateServerAsync(FakeHost.Request(), Callers.Admin, Ct));

        _log.Entries.ShouldNotBeEmpty();
        _log.Entries.ShouldAllBe(entry => entry.EventId.Id >= 1000 && entry.EventId.Id <= 1999 && !string.IsNullOrEmpty(entry.EventId.Name));
    }
}
