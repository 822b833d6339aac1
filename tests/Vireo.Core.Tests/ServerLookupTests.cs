using Vireo.Core.Compute;

namespace Vireo.Core.Tests;

/// <summary>The compute service finds servers by id only, as Nova: a name reaches nothing.</summary>
public sealed class ServerLookupTests
{
    private readonly FakeHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_server_is_found_by_its_id_in_any_case()
    {
        var created = await _host.CreateActiveAsync();

        (await _host.Service().ShowServerAsync(created.Id.ToString("D").ToUpperInvariant(), Callers.Admin, Ct)).Id.ShouldBe(created.Id);
    }

    [Fact]
    public async Task A_servers_name_is_not_found_and_changes_nothing()
    {
        var created = await _host.CreateActiveAsync();
        var service = _host.Service();

        (await Should.ThrowAsync<VireoException>(() => service.ShowServerAsync("web1", Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        var stop = await Should.ThrowAsync<VireoException>(() => service.StopServerAsync("web1", Callers.Admin, Ct));
        stop.Kind.ShouldBe(ErrorKind.NotFound);
        stop.Message.ShouldBe("server 'web1' does not exist; servers are addressed by id here: list the servers to see their ids");
        (await Should.ThrowAsync<VireoException>(() => service.DeleteServerAsync("web1", Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        (await Should.ThrowAsync<VireoException>(() => service.ListServerActionsAsync("web1", Callers.Admin, Ct))).Kind.ShouldBe(ErrorKind.NotFound);

        _host.Row(created.Id).VmState.ShouldBe(VmState.Active);
        _host.Hypervisor.PowerOf(created.Id).ShouldBe(PowerState.Running);
    }
}
