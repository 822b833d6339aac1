using Vireo.Core;
using Vireo.Libvirt;

namespace Vireo.Virt.Tests;

/// <summary>The manager over libvirt's in-process test:///default driver: no daemon needed.</summary>
public sealed class LibvirtConnectionManagerTests
{
    private const string TestUri = "test:///default";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nothing_is_opened_until_the_first_call_and_then_one_connection_is_reused()
    {
        var opens = 0;
        await using var manager = new LibvirtConnectionManager(TestUri, null, null, (uri, options) =>
        {
            opens++;
            return Connection.Open(uri, options);
        });
        opens.ShouldBe(0);

        var first = await manager.AcquireAsync(Cancel);
        var second = await manager.AcquireAsync(Cancel);
        await manager.RunAsync("read the hypervisor type", c => c.HypervisorType, Cancel);

        second.ShouldBeSameAs(first);
        opens.ShouldBe(1);
        manager.Generation.ShouldBe(1);
    }

    [Fact]
    public async Task A_dropped_connection_is_replaced_on_next_use_and_its_lease_reports_the_loss()
    {
        await using var manager = new LibvirtConnectionManager(TestUri);
        var first = await manager.AcquireAsync(Cancel);

        manager.DropConnection();
        var second = await manager.AcquireAsync(Cancel);

        first.IsLost.ShouldBeTrue();
        await first.Lost.WaitAsync(TimeSpan.FromSeconds(5), Cancel);
        second.ShouldNotBeSameAs(first);
        second.Generation.ShouldBe(2);
        (await manager.RunAsync("read the hypervisor type", c => c.HypervisorType, Cancel)).ShouldBe("TEST");
    }

    [Fact]
    public async Task A_connection_disposed_underneath_is_noticed_and_replaced()
    {
        await using var manager = new LibvirtConnectionManager(TestUri);
        var first = await manager.AcquireAsync(Cancel);
        first.Connection.Dispose();

        (await manager.RunAsync("read the hypervisor type", c => c.HypervisorType, Cancel)).ShouldBe("TEST");

        manager.Generation.ShouldBe(2);
        first.IsLost.ShouldBeTrue();
    }

    [Fact]
    public async Task Resources_attached_to_a_lease_are_disposed_before_the_connection_off_the_callers_thread_when_it_is_retired()
    {
        await using var manager = new LibvirtConnectionManager(TestUri);
        var lease = await manager.AcquireAsync(Cancel);
        var order = new List<string>();
        lease.Attach(new Probe(() => order.Add(lease.Connection.HypervisorType)));

        manager.DropConnection();
        lease.IsLost.ShouldBeTrue();
        await lease.Released.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        lease.Attach(new Probe(() => order.Add("late")));

        order.ShouldBe(["TEST", "late"]);
    }

    [Fact]
    public async Task Opening_retries_connection_failures_with_backoff_then_succeeds()
    {
        var attempts = 0;
        await using var manager = new LibvirtConnectionManager(TestUri, null, null, (uri, options) =>
            ++attempts < 3
                ? throw new LibvirtConnectionException(LibvirtErrorCode.NoConnect, LibvirtErrorDomain.Remote, "daemon restarting")
                : Connection.Open(uri, options));

        await manager.AcquireAsync(Cancel);

        attempts.ShouldBe(3);
    }

    [Fact]
    public async Task Opening_gives_up_after_the_retries_with_an_unavailable_error_quoting_libvirt()
    {
        var attempts = 0;
        await using var manager = new LibvirtConnectionManager("qemu:///system", null, null, (uri, _) =>
        {
            attempts++;
            throw new LibvirtConnectionException(
                LibvirtErrorCode.NoConnect, LibvirtErrorDomain.Remote, $"cannot connect to libvirt at {uri}: Failed to connect socket: No such file or directory");
        });

        var e = await Should.ThrowAsync<VireoException>(() => manager.AcquireAsync(Cancel));

        attempts.ShouldBe(1 + LibvirtConnectionManager.ConnectRetries);
        e.Kind.ShouldBe(ErrorKind.Unavailable);
        e.Message.ShouldBe("libvirt at qemu:///system is not reachable (Failed to connect socket: No such file or directory); start it with scripts/setup-host");
    }

    [Fact]
    public async Task A_refusal_is_a_failure_quoting_libvirt_and_keeps_the_connection()
    {
        await using var manager = new LibvirtConnectionManager(TestUri);

        var e = await Should.ThrowAsync<VireoException>(
            () => manager.RunAsync("read domain capabilities", c => c.GetDomainCapabilities("qemu"), Cancel));

        e.Kind.ShouldBe(ErrorKind.Failed);
        e.Message.ShouldStartWith("libvirt refused to read domain capabilities: \"");
        e.InnerException.ShouldBeAssignableTo<LibvirtException>();
        manager.Generation.ShouldBe(1);
        (await manager.AcquireAsync(Cancel)).IsLost.ShouldBeFalse();
    }

    [Fact]
    public async Task A_connection_error_during_a_call_is_unavailable_and_the_next_call_reconnects()
    {
        await using var manager = new LibvirtConnectionManager(TestUri);

        var e = await Should.ThrowAsync<VireoException>(() => manager.RunAsync<int>("list guests", _ =>
            throw new LibvirtConnectionException(LibvirtErrorCode.Rpc, LibvirtErrorDomain.Rpc, "End of file while reading data"), Cancel));

        e.Kind.ShouldBe(ErrorKind.Unavailable);
        e.Message.ShouldContain("End of file while reading data");
        await manager.RunAsync("read the hypervisor type", c => c.HypervisorType, Cancel);
        manager.Generation.ShouldBe(2);
    }

    [Fact]
    public async Task Calls_run_off_the_callers_thread()
    {
        await using var manager = new LibvirtConnectionManager(TestUri);
        await manager.AcquireAsync(Cancel);
        var caller = 0;
        Task<int>? call = null;
        // A dedicated caller thread: the pool can never run the call on it.
        var thread = new Thread(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            call = manager.RunAsync("look at the thread", _ => Environment.CurrentManagedThreadId, Cancel);
        });
        thread.Start();
        thread.Join();

        (await call!).ShouldNotBe(caller);
    }

    private sealed class Probe(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
