namespace Vireo.Configuration.Catalogue;

public static partial class NovaOptions
{
    /// <summary><c>[DEFAULT]</c>.</summary>
    public static class Default
    {
        public static readonly OptionDefinition ComputeDriver = new()
        {
            Group = DefaultGroup,
            Name = "compute_driver",
            Type = OptionType.String,
            Default = "libvirt.LibvirtDriver",
            NovaDefault = "none (Nova requires it; Vireo has one driver and defaults to it)",
            Help = "The virtualisation driver. Vireo drives KVM/QEMU through libvirt only.",
            Choices =
            [
                OptionChoice.Supported("libvirt.LibvirtDriver", "KVM or QEMU through libvirt"),
                OptionChoice.Refused("fake.FakeDriver", "it is Nova's test driver; Vireo's tests bring their own fakes"),
                OptionChoice.Refused("ironic.IronicDriver", "bare-metal provisioning is outside Vireo's scope"),
                OptionChoice.Refused("vmwareapi.VMwareVCDriver", "Vireo does not drive VMware vCenter"),
                OptionChoice.Refused("zvm.ZVMDriver", "Vireo does not drive z/VM"),
            ],
            Consumer = Component.Service,
        };

        public static readonly OptionDefinition Host = new()
        {
            Group = DefaultGroup,
            Name = "host",
            Type = OptionType.String,
            DynamicDefault = "this machine's host name",
            Help = "The name this compute host is known by (in the API's hypervisor and server records). Change it only on an empty host.",
            Consumer = Component.Service,
            Example = "compute-01",
        };

        public static readonly OptionDefinition MyIp = new()
        {
            Group = DefaultGroup,
            Name = "my_ip",
            Type = OptionType.IpAddress,
            DynamicDefault = "the address of the interface of the default route",
            Help = "This host's IP address on the management network; other options may refer to it as $my_ip.",
            Consumer = Component.Service,
            Example = "192.0.2.10",
        };

        public static readonly OptionDefinition StatePath = new()
        {
            Group = DefaultGroup,
            Name = "state_path",
            Type = OptionType.AbsolutePath,
            Default = "/var/lib/nova",
            Help = "The top-level directory for the service's state; other paths default to directories below it.",
            Consumer = Component.Service,
        };

        public static readonly OptionDefinition InstancesPath = new()
        {
            Group = DefaultGroup,
            Name = "instances_path",
            Type = OptionType.AbsolutePath,
            Default = "$state_path/instances",
            Help = "Where instance disks live: one directory per instance UUID, and the base image cache below it.",
            Consumer = Component.Service,
        };

        public static readonly OptionDefinition UseCowImages = new()
        {
            Group = DefaultGroup,
            Name = "use_cow_images",
            Type = OptionType.Boolean,
            Default = "true",
            Help = "Whether images_type = default means qcow2 overlays on a cached base image (true) or flat copies (false).",
            Consumer = Component.DiskFormatChoice,
        };

        public static readonly OptionDefinition ForceRawImages = new()
        {
            Group = DefaultGroup,
            Name = "force_raw_images",
            Type = OptionType.Boolean,
            Default = "true",
            Help = "Convert downloaded non-raw images to raw in the base image cache. Must stay true with images_type = rbd.",
            Consumer = Component.ImageBackends,
        };

        public static readonly OptionDefinition PreallocateImages = new()
        {
            Group = DefaultGroup,
            Name = "preallocate_images",
            Type = OptionType.String,
            Default = "none",
            Help = "Whether instance disks get their full size allocated when created.",
            Choices =
            [
                OptionChoice.Supported("none", "allocate on write"),
                OptionChoice.Supported("space", "allocate the whole disk up front (fallocate) and use native I/O"),
            ],
            Consumer = Component.DiskTuning,
        };

        public static readonly OptionDefinition DefaultEphemeralFormat = new()
        {
            Group = DefaultGroup,
            Name = "default_ephemeral_format",
            Type = OptionType.String,
            DynamicDefault = "ext4 for images with os_type linux, ntfs for os_type windows, else vfat",
            Help = "The file system created on new ephemeral disks.",
            Choices =
            [
                OptionChoice.Supported("ext2", "ext2"),
                OptionChoice.Supported("ext3", "ext3"),
                OptionChoice.Supported("ext4", "ext4"),
                OptionChoice.Supported("xfs", "XFS"),
                OptionChoice.Supported("ntfs", "NTFS, for Windows guests (needs the Debian package ntfs-3g)"),
                OptionChoice.Supported("vfat", "VFAT, what an image without os_type gets"),
            ],
            Consumer = Component.EphemeralDisks,
        };

        public static readonly OptionDefinition VirtMkfs = new()
        {
            Group = DefaultGroup,
            Name = "virt_mkfs",
            Type = OptionType.MultiString,
            Help = "A custom mkfs command per guest OS type, written os_type=command; repeat the key for each OS type.",
            Consumer = Component.CustomMkfs,
            Example = "linux=mkfs.ext4 -L %(fs_label)s -F %(target)s",
        };

        public static readonly OptionDefinition OsapiComputeListen = new()
        {
            Group = DefaultGroup,
            Name = "osapi_compute_listen",
            Type = OptionType.HostAddress,
            Default = "127.0.0.1",
            NovaDefault = "0.0.0.0; Vireo listens on loopback unless told otherwise",
            Help = "The address the Compute API listens on; client commands find the service at the same address.",
            Consumer = Component.Api,
        };

        public static readonly OptionDefinition OsapiComputeListenPort = new()
        {
            Group = DefaultGroup,
            Name = "osapi_compute_listen_port",
            Type = OptionType.Port,
            Default = "8774",
            Help = "The TCP port the Compute API listens on.",
            Consumer = Component.Api,
        };

        public static readonly OptionDefinition Debug = new()
        {
            Group = DefaultGroup,
            Name = "debug",
            Type = OptionType.Boolean,
            Default = "false",
            Help = "Log at debug level instead of info.",
            Consumer = Component.Service,
        };

        public static readonly OptionDefinition LogDir = new()
        {
            Group = DefaultGroup,
            Name = "log_dir",
            Type = OptionType.AbsolutePath,
            Help = "The directory a relative log_file is written in.",
            Consumer = Component.LogFiles,
            Example = "/var/log/nova",
        };

        public static readonly OptionDefinition LogFile = new()
        {
            Group = DefaultGroup,
            Name = "log_file",
            Type = OptionType.String,
            DynamicDefault = "standard error",
            Help = "The log file, absolute or relative to log_dir.",
            Consumer = Component.LogFiles,
            Example = "nova-compute.log",
        };

        public static readonly OptionDefinition InstanceDeleteInterval = new()
        {
            Group = DefaultGroup,
            Name = "instance_delete_interval",
            Type = OptionType.Integer,
            Default = "300",
            Minimum = -1,
            Help = "Seconds between passes that retry removing the guests, disks (RBD images, logical volumes) and files of deleted servers whose delete could not remove them; 0 runs it at the default periodic interval (60 s), -1 never (start-up reconciliation still does).",
            Consumer = Component.Service,
        };

        public static IReadOnlyList<OptionDefinition> All { get; } =
        [
            ComputeDriver, Host, MyIp, StatePath, InstancesPath, UseCowImages, ForceRawImages, PreallocateImages,
            DefaultEphemeralFormat, VirtMkfs, OsapiComputeListen, OsapiComputeListenPort, Debug, LogDir, LogFile,
            InstanceDeleteInterval,
        ];
    }
}
