namespace Vireo.Configuration.Catalogue;

public static partial class NovaOptions
{
    /// <summary><c>[libvirt]</c>: image backends and disks.</summary>
    public static partial class Libvirt
    {
        public static readonly OptionDefinition ImagesType = new()
        {
            Group = Group,
            Name = "images_type",
            Type = OptionType.String,
            Default = "default",
            Help = "The image backend for instance disks.",
            Choices =
            [
                OptionChoice.Supported("default", "qcow2 when [DEFAULT] use_cow_images is true, flat otherwise"),
                OptionChoice.Supported("qcow2", "a qcow2 overlay on a cached base image"),
                OptionChoice.Supported("flat", "a full raw copy of the image per disk"),
                OptionChoice.Alias("raw", "flat"),
                OptionChoice.Supported("lvm", "a logical volume in images_volume_group", Component.LvmStorage),
                OptionChoice.Supported("rbd", "an RBD image in images_rbd_pool", Component.RbdStorage),
                OptionChoice.Refused("ploop", "ploop disks belong to the parallels virt_type, which Vireo does not drive"),
            ],
            Consumer = Component.DiskFormatChoice,
        };

        public static readonly OptionDefinition ImagesVolumeGroup = new()
        {
            Group = Group,
            Name = "images_volume_group",
            Type = OptionType.String,
            Help = "The LVM volume group holding instance disks; required with images_type = lvm.",
            Consumer = Component.LvmStorage,
            Example = "nova-vg",
        };

        public static readonly OptionDefinition VolumeClear = new()
        {
            Group = Group,
            Name = "volume_clear",
            Type = OptionType.String,
            Default = "zero",
            Help = "How a logical volume of images_type = lvm is wiped before it is removed.",
            Choices =
            [
                OptionChoice.Supported("zero", "write zeros over it (dd)"),
                OptionChoice.Supported("shred", "overwrite it three times with random data (shred -n3)"),
                OptionChoice.Supported("none", "remove it without wiping"),
            ],
            Consumer = Component.LvmStorage,
        };

        public static readonly OptionDefinition VolumeClearSize = new()
        {
            Group = Group,
            Name = "volume_clear_size",
            Type = OptionType.Integer,
            Default = "0",
            Minimum = 0,
            Help = "MiB wiped from the start of a logical volume by volume_clear; 0 wipes all of it.",
            Consumer = Component.LvmStorage,
        };

        public static readonly OptionDefinition ImagesRbdPool = new()
        {
            Group = Group,
            Name = "images_rbd_pool",
            Type = OptionType.String,
            Default = "rbd",
            Help = "The Ceph pool holding instance disks with images_type = rbd.",
            Consumer = Component.RbdStorage,
        };

        public static readonly OptionDefinition ImagesRbdCephConf = new()
        {
            Group = Group,
            Name = "images_rbd_ceph_conf",
            Type = OptionType.String,
            Default = "",
            DynamicDefault = "Ceph's default, /etc/ceph/ceph.conf",
            Help = "The Ceph configuration file.",
            Consumer = Component.RbdStorage,
            Example = "/etc/ceph/ceph.conf",
        };

        public static readonly OptionDefinition RbdUser = new()
        {
            Group = Group,
            Name = "rbd_user",
            Type = OptionType.String,
            Help = "The Ceph user (without 'client.') that opens RBD disks.",
            Consumer = Component.RbdStorage,
            Example = "nova",
        };

        public static readonly OptionDefinition RbdSecretUuid = new()
        {
            Group = Group,
            Name = "rbd_secret_uuid",
            Type = OptionType.Uuid,
            Help = "The UUID of the libvirt secret holding rbd_user's key.",
            Consumer = Component.RbdStorage,
            Example = "457eb676-33da-42ec-9a8c-9293d545c337",
        };

        public static readonly OptionDefinition DiskCachemodes = new()
        {
            Group = Group,
            Name = "disk_cachemodes",
            Type = OptionType.List,
            Default = "",
            Help = "Cache mode per disk source type, written type=mode; types file, block, network; modes default, none, writethrough, writeback, directsync, unsafe.",
            // Read by vireo serve for the disk cache mode (DiskCachePolicy); every disk is a file today.
            Consumer = Component.LibvirtDriver,
            Example = "file=directsync,block=none,network=writeback",
        };

        public static readonly OptionDefinition HwDiskDiscard = new()
        {
            Group = Group,
            Name = "hw_disk_discard",
            Type = OptionType.String,
            Help = "Whether guests' discard (TRIM) requests reach the disk.",
            Choices =
            [
                OptionChoice.Supported("ignore", "drop discard requests"),
                OptionChoice.Supported("unmap", "pass discard requests to the backing storage"),
            ],
            Consumer = Component.DiskTuning,
        };

        private static IReadOnlyList<OptionDefinition> StorageOptions =>
        [
            ImagesType, ImagesVolumeGroup, VolumeClear, VolumeClearSize, ImagesRbdPool, ImagesRbdCephConf, RbdUser, RbdSecretUuid, DiskCachemodes, HwDiskDiscard,
        ];
    }
}
