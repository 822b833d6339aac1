namespace Vireo.Configuration.Catalogue;

public static partial class NovaOptions
{
    /// <summary><c>[libvirt]</c>: hypervisor, guest CPU and machine.</summary>
    public static partial class Libvirt
    {
        private const string Group = "libvirt";

        public static readonly OptionDefinition VirtType = new()
        {
            Group = Group,
            Name = "virt_type",
            Type = OptionType.String,
            Default = "kvm",
            Help = "The libvirt domain type.",
            Choices =
            [
                OptionChoice.Supported("kvm", "hardware virtualisation through /dev/kvm"),
                OptionChoice.Supported("qemu", "software emulation (TCG), slow; for hosts without KVM such as nested test machines"),
                OptionChoice.Refused("lxc", "Vireo runs virtual machines, not libvirt-lxc containers"),
                OptionChoice.Refused("parallels", "Vireo drives KVM/QEMU, not Virtuozzo"),
            ],
            Consumer = Component.LibvirtDriver,
        };

        public static readonly OptionDefinition ConnectionUri = new()
        {
            Group = Group,
            Name = "connection_uri",
            Type = OptionType.Uri,
            DynamicDefault = "qemu:///system",
            Help = "The libvirt connection URI; empty means the local system daemon.",
            Consumer = Component.LibvirtDriver,
            Example = "qemu:///system",
        };

        public static readonly OptionDefinition CpuMode = new()
        {
            Group = Group,
            Name = "cpu_mode",
            Type = OptionType.String,
            DynamicDefault = "host-model (host-passthrough on AArch64 hosts)",
            Help = "How the guest CPU is chosen. Live migration needs compatible CPUs on both hosts: custom with the oldest model of the fleet is the safe choice.",
            Choices =
            [
                OptionChoice.Supported("host-model", "a named model close to the host CPU, plus the host's extra features"),
                OptionChoice.Supported("host-passthrough", "the host CPU exactly: fastest, migrates only to identical CPUs"),
                OptionChoice.Supported("custom", "the first of cpu_models the host can run"),
                OptionChoice.Supported("none", "no <cpu> element: the hypervisor's default CPU"),
            ],
            Consumer = Component.LibvirtDriver,
        };

        public static readonly OptionDefinition CpuModels = new()
        {
            Group = Group,
            Name = "cpu_models",
            Type = OptionType.List,
            Default = "",
            Help = "With cpu_mode = custom: named CPU models (libvirt's cpu_map names, any case), oldest first. Used only with cpu_mode = custom.",
            DeprecatedNames = [new OptionName(Group, "cpu_model")],
            Consumer = Component.LibvirtDriver,
            Example = "Cascadelake-Server-noTSX,Icelake-Server-noTSX",
        };

        public static readonly OptionDefinition CpuModelExtraFlags = new()
        {
            Group = Group,
            Name = "cpu_model_extra_flags",
            Type = OptionType.List,
            Default = "",
            Help = "CPU features added to the guest CPU: 'flag' or '+flag' requires it, '-flag' disables it. Case-insensitive. Not allowed with cpu_mode = none.",
            Consumer = Component.LibvirtDriver,
            Example = "pcid,+ssbd,-mpx",
        };

        public static readonly OptionDefinition HwMachineType = new()
        {
            Group = Group,
            Name = "hw_machine_type",
            Type = OptionType.List,
            Default = "",
            DynamicDefault = "x86_64 and i686: pc; aarch64 and armv7l: virt; ppc64le: pseries; s390x: s390-ccw-virtio",
            Help = "The machine type per guest architecture, written arch=machine.",
            Consumer = Component.LibvirtDriver,
            Example = "x86_64=q35",
        };

        public static readonly OptionDefinition MemStatsPeriodSeconds = new()
        {
            Group = Group,
            Name = "mem_stats_period_seconds",
            Type = OptionType.Integer,
            Default = "10",
            Help = "How often the memory balloon reports guest memory statistics; 0 or less removes the balloon device.",
            Consumer = Component.LibvirtDriver,
        };

        private static IReadOnlyList<OptionDefinition>? all;

        // Built on first use: static initializers of partial files run in no defined order.
        public static IReadOnlyList<OptionDefinition> All => all ??=
        [
            VirtType, ConnectionUri, CpuMode, CpuModels, CpuModelExtraFlags, HwMachineType, MemStatsPeriodSeconds,
            .. StorageOptions, .. MigrationOptions,
        ];
    }
}
