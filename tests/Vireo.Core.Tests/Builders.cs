namespace Vireo.Core.Tests;

internal static class Builders
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static Instance AnInstance(
        VmState vmState = VmState.Active,
        TaskState? taskState = null,
        PowerState powerState = PowerState.Running,
        string name = "web1",
        Guid? id = null,
        string host = FakeHost.HostName) =>
        new(id ?? Guid.NewGuid(), name, FakeHost.Cirros.Id, "1", vmState, taskState, powerState,
            FaultReason: vmState == VmState.Error ? "earlier failure" : null, host, T0, T0);
}
