using Vireo.Core;

namespace Vireo.State.Tests;

internal static class Samples
{
    public static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 6, 7, 8, 9, 10, 123, TimeSpan.Zero).AddTicks(4567);

    public static Instance AnInstance(string name = "web1", VmState vmState = VmState.Building, TaskState? task = TaskState.Scheduling) =>
        new(Guid.NewGuid(), name, Guid.NewGuid(), "1", vmState, task, PowerState.NoState, FaultReason: null, "compute1", T0, T0);

    public static ImageRecord AnImage(string name = "cirros") =>
        new(Guid.NewGuid(), name, ImageStatus.Active, DiskFormat.Qcow2, "bare", 21_430_272, 117_440_512, new string('f', 64), 1, 64,
            new Dictionary<string, string> { ["hw_qemu_guest_agent"] = "yes", ["os_distro"] = "cirros" }, T0, T0)
        {
            Md5 = new string('e', 32),
            Visibility = Core.Tenancy.ImageVisibility.Public,
        };

    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
