using Vireo.Core.Compute;
using Vireo.Core.Ports;

namespace Vireo.Core.Tests;

/// <summary>
/// The guest CPU is read from the running guest whenever a QEMU process starts (create, start,
/// hard reboot) and kept otherwise; the fake names each process start "boot-N".
/// </summary>
public sealed class EffectiveCpuRecordTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_created_server_records_the_cpu_of_its_first_boot()
    {
        var created = await _host.CreateActiveAsync();

        created.EffectiveCpu!.Model.ShouldBe("boot-1");
        _host.Row(created.Id).EffectiveCpu!.Model.ShouldBe("boot-1");
    }

    [Fact]
    public async Task Start_after_stop_and_hard_reboot_refresh_the_record_while_stop_and_soft_reboot_keep_it()
    {
        var created = await _host.CreateActiveAsync();
        var service = _host.Service();

        (await service.StopServerAsync(_host.IdOf("web1"), Callers.Admin, Ct)).EffectiveCpu!.Model.ShouldBe("boot-1");
        (await service.StartServerAsync(_host.IdOf("web1"), Callers.Admin, Ct)).EffectiveCpu!.Model.ShouldBe("boot-2");
        (await service.RebootServerAsync(_host.IdOf("web1"), RebootType.Soft, Callers.Admin, Ct)).EffectiveCpu!.Model.ShouldBe("boot-2");
        (await service.RebootServerAsync(_host.IdOf("web1"), RebootType.Hard, Callers.Admin, Ct)).EffectiveCpu!.Model.ShouldBe("boot-3");

        _host.Hypervisor.BootsOf(created.Id).ShouldBe(3);
        _host.Row(created.Id).EffectiveCpu!.Model.ShouldBe("boot-3");
    }

    [Fact]
    public async Task A_failed_read_leaves_the_boot_successful_and_the_cpu_not_recorded_rather_than_stale()
    {
        var created = await _host.CreateActiveAsync();
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.ReadGuestCpuAsync), ErrorKind.Unavailable);

        var rebooted = await _host.Service().RebootServerAsync(_host.IdOf("web1"), RebootType.Hard, Callers.Admin, Ct);

        rebooted.VmState.ShouldBe(VmState.Active);
        rebooted.EffectiveCpu.ShouldBeNull();
        _host.Row(created.Id).EffectiveCpu.ShouldBeNull();
    }

    [Fact]
    public async Task A_build_whose_cpu_cannot_be_read_still_ends_active()
    {
        _host.Hypervisor.Failures.FailOn(nameof(IHypervisor.ReadGuestCpuAsync));

        var created = await _host.CreateActiveAsync();

        created.VmState.ShouldBe(VmState.Active);
        created.EffectiveCpu.ShouldBeNull();
    }
}
