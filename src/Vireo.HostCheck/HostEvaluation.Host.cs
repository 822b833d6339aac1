namespace Vireo.HostCheck;

/// <summary>QEMU's identity and the network devices guests use (the seed's vhost_net tweak).</summary>
public static partial class HostEvaluation
{
    private static HostCheck QemuConfinement(Context c)
    {
        const string name = "qemu.confinement";
        const string title = "QEMU's user and confinement";
        var q = c.Facts.Qemu;
        var driver = q.SecurityDriver is null ? "security_driver not set" : $"security_driver = \"{q.SecurityDriver}\"";
        if (!q.IsRoot)
        {
            var confinement = q.Confinement is { } lsm ? $", confined by {lsm}" : "";
            return Check(name, title, CheckStatus.Pass, $"QEMU runs as {q.User}:{q.Group} ({q.Source}){confinement}");
        }

        if (q.Confinement is { } confined)
        {
            return Check(name, title, CheckStatus.Pass, $"QEMU runs as root ({q.Source}), confined by {confined} ({driver})");
        }

        return Check(name, title, CheckStatus.Warn,
            $"QEMU runs as root ({q.Source}) without confinement ({driver}{(q.AvailableSecurityModules.Count == 0 ? ", no AppArmor or SELinux active" : "")}): a guest that escapes QEMU owns the host",
            "run QEMU as an unprivileged user: remove user = \"root\" and group = \"root\" from /etc/libvirt/qemu.conf (Debian's default is libvirt-qemu, in group kvm), enable AppArmor or SELinux, and restart libvirtd");
    }

    private static HostCheck VhostNet(Context c)
    {
        const string name = "net.vhost";
        const string title = "/dev/vhost-net exists";
        if (c.Kernel.VhostNet is { } node)
        {
            return Check(name, title, CheckStatus.Pass, $"/dev/vhost-net is {Node(node)}: virtio-net is served in the kernel");
        }

        return c.Kernel.HasModule("vhost_net")
            ? Check(name, title, CheckStatus.Warn,
                "vhost_net is loaded but /dev/vhost-net does not exist: virtio-net falls back to QEMU's userspace backend (slower networking)",
                c.Kernel.UdevRunning ? "run `udevadm trigger` so udev creates the node" : "create it: `mknod /dev/vhost-net c 10 238 && chmod 0666 /dev/vhost-net` (no udevd runs here to do it)")
            : Check(name, title, CheckStatus.Warn,
                "/dev/vhost-net does not exist and vhost_net is not loaded: virtio-net falls back to QEMU's userspace backend (slower networking)",
                "run `modprobe vhost_net` and add the line `vhost_net` to /etc/modules so it loads at boot");
    }

    private static HostCheck Tun(Context c)
    {
        const string name = "net.tun";
        const string title = "/dev/net/tun exists";
        return c.Kernel.Tun is { } node
            ? Check(name, title, CheckStatus.Pass, $"/dev/net/tun is {Node(node)}")
            : Check(name, title, CheckStatus.Warn,
                "/dev/net/tun does not exist: guests cannot get tap network interfaces",
                "run `modprobe tun` and add the line `tun` to /etc/modules so it loads at boot");
    }
}
