using Vireo.Configuration.Options;

namespace Vireo.HostCheck;

/// <summary>The storage prerequisites of the configured images_type.</summary>
public static partial class HostEvaluation
{
    private static HostCheck QemuImg(Context c)
    {
        const string name = "storage.qemu-img";
        const string title = "qemu-img installed";
        return c.Facts.Storage.QemuImg is { } path
            ? Check(name, title, CheckStatus.Pass, $"qemu-img is {path}")
            : Check(name, title, CheckStatus.Fail, "qemu-img is not on the search path: Vireo cannot inspect, convert or create disks",
                "install it (Debian: `apt-get install qemu-utils`)");
    }

    private static HostCheck InstancesPath(Context c)
    {
        const string name = "storage.instances-path";
        const string title = "instances_path writable";
        var d = c.Facts.Storage.InstancesPath;
        if (d.Exists && d.Writable)
        {
            return Check(name, title, CheckStatus.Pass, $"instances_path {d.Path} exists and is writable");
        }

        if (!d.Exists && d.Writable)
        {
            return Check(name, title, CheckStatus.Pass, $"instances_path {d.Path} does not exist yet; vireo serve creates it under {d.ExistingAncestor} (writable)");
        }

        var where = d.Exists ? d.Path : d.ExistingAncestor ?? d.Path;
        return Check(name, title, CheckStatus.Fail,
            $"instances_path {d.Path} {(d.Exists ? "is not writable" : $"does not exist and {where} is not writable")}{(d.Error is null ? "" : $" ({d.Error})")}",
            $"create it and give it to the user running vireo serve (`mkdir -p {d.Path} && chown <user> {d.Path}`), or set [DEFAULT] instances_path");
    }

    private static HostCheck DirectIo(Context c)
    {
        const string name = "storage.direct-io";
        const string title = "O_DIRECT on instances_path";
        var d = c.Facts.Storage.InstancesPath;
        var where = d.Exists ? d.Path : $"{d.ExistingAncestor} (where {d.Path} will be)";
        return d.DirectIo switch
        {
            true => Check(name, title, CheckStatus.Pass, $"{where} accepts O_DIRECT: disks get cache mode none, as Nova chooses"),
            false => Check(name, title, CheckStatus.Warn,
                $"{where} refuses O_DIRECT (tmpfs does): disks get cache mode writeback (as Nova chooses), which a host crash can lose writes from",
                "put instances_path on a file system with O_DIRECT (ext4, xfs), or accept writeback"),
            null => Check(name, title, CheckStatus.Skip, $"could not try O_DIRECT: {where} is not writable"),
        };
    }

    private static HostCheck ImagesType(Context c)
    {
        const string name = "storage.images-type";
        var type = HostCheckConfig.Name(c.Config.ImagesType);
        var title = $"images_type={type} prerequisites";
        switch (c.Config.ImagesType)
        {
            case Configuration.Options.ImagesType.Lvm:
                return Lvm(c, name, title);
            case Configuration.Options.ImagesType.Rbd:
                return Rbd(c, name, title);
            default:
                return Check(name, title, CheckStatus.Pass, $"images_type={type} keeps disks as files under instances_path: qemu-img and instances_path (above) are all it needs");
        }
    }

    private static HostCheck Lvm(Context c, string name, string title)
    {
        var lvm = c.Facts.Storage.Lvm;
        var vg = c.Config.ImagesVolumeGroup;
        if (string.IsNullOrEmpty(vg))
        {
            return Check(name, title, CheckStatus.Fail, "images_type=lvm but [libvirt] images_volume_group is not set",
                "set images_volume_group = <volume group> in [libvirt] (the seed's example: nova_local)");
        }

        if (c.Kernel.MapperControl is null)
        {
            return Check(name, title, CheckStatus.Fail,
                "/dev/mapper/control does not exist: the kernel has no device-mapper, so lvcreate fails even where vgcreate succeeds",
                "run `modprobe dm-mod` and add the line `dm-mod` to /etc/modules, or use images_type = qcow2");
        }

        if (lvm?.VolumeGroups is not { } groups)
        {
            return Check(name, title, CheckStatus.Fail, $"cannot list volume groups: {lvm?.Error ?? "not read"}",
                "install LVM (Debian: `apt-get install lvm2`) and run vireo as root");
        }

        return groups.Contains(vg, StringComparer.Ordinal)
            ? Check(name, title, CheckStatus.Pass, $"volume group {vg} exists and device-mapper is available")
            : Check(name, title, CheckStatus.Fail,
                $"volume group {vg} does not exist ({(groups.Count == 0 ? "vgs lists none" : $"vgs lists {Join(groups)}")})",
                $"create it on a free disk: `vgcreate {vg} /dev/<disk>`, or set images_volume_group to an existing group");
    }

    private static HostCheck Rbd(Context c, string name, string title)
    {
        var rbd = c.Facts.Storage.Rbd;
        var conf = c.Config.EffectiveCephConf;
        var pool = c.Config.ImagesRbdPool;
        if (rbd is null || !rbd.CephConfExists)
        {
            return Check(name, title, CheckStatus.Fail, $"the Ceph configuration {conf} does not exist",
                "copy the cluster's ceph.conf there (with a keyring for rbd_user), or set [libvirt] images_rbd_ceph_conf");
        }

        if (!rbd.QemuRbdDriver)
        {
            return Check(name, title, CheckStatus.Fail, "QEMU's rbd block driver is not installed: guests cannot open RBD disks",
                "install it (Debian: `apt-get install qemu-block-extra`) and restart libvirtd");
        }

        if (rbd.Pools is not { } pools)
        {
            return Check(name, title, CheckStatus.Fail, $"cannot list Ceph pools with {conf}: {rbd.Error}",
                $"check that the cluster answers: `ceph --conf {conf} -s`");
        }

        return pools.Contains(pool, StringComparer.Ordinal)
            ? Check(name, title, CheckStatus.Pass, $"Ceph answers with {conf} and pool {pool} exists")
            : Check(name, title, CheckStatus.Fail,
                $"pool {pool} does not exist ({(pools.Count == 0 ? "the cluster has no pools" : $"pools: {Join(pools)}")})",
                $"create it: `ceph osd pool create {pool} && rbd pool init {pool}`, or set [libvirt] images_rbd_pool");
    }
}
