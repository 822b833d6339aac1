namespace Vireo.Configuration.Catalogue;

public static partial class NovaOptions
{
    /// <summary><c>[libvirt]</c>: live migration.</summary>
    public static partial class Libvirt
    {
        public static readonly OptionDefinition LiveMigrationUri = new()
        {
            Group = Group,
            Name = "live_migration_uri",
            Type = OptionType.String,
            Help = "The migration target URI, with %s for the destination host name.",
            DeprecatedFor = "live_migration_scheme and live_migration_inbound_addr",
            Consumer = Component.LiveMigration,
            Example = "qemu+ssh://nova@%s/system",
        };

        public static readonly OptionDefinition LiveMigrationScheme = new()
        {
            Group = Group,
            Name = "live_migration_scheme",
            Type = OptionType.String,
            DynamicDefault = "tcp",
            Help = "The transport of the migration URI (e.g. tcp, ssh, tls).",
            Consumer = Component.LiveMigration,
            Example = "ssh",
        };

        public static readonly OptionDefinition LiveMigrationInboundAddr = new()
        {
            Group = Group,
            Name = "live_migration_inbound_addr",
            Type = OptionType.HostAddress,
            DynamicDefault = "[DEFAULT] host",
            Help = "The address other hosts use to send live migration traffic to this one.",
            Consumer = Component.LiveMigration,
            Example = "192.0.2.10",
        };

        public static readonly OptionDefinition LiveMigrationTunnelled = new()
        {
            Group = Group,
            Name = "live_migration_tunnelled",
            Type = OptionType.Boolean,
            Default = "false",
            Help = "Carry migration data through the libvirt connection instead of a direct QEMU stream.",
            Consumer = Component.LiveMigration,
        };

        public static readonly OptionDefinition LiveMigrationPermitAutoConverge = new()
        {
            Group = Group,
            Name = "live_migration_permit_auto_converge",
            Type = OptionType.Boolean,
            Default = "false",
            Help = "Allow slowing the guest's vCPUs down so that a busy guest's migration converges.",
            Consumer = Component.LiveMigration,
        };

        public static readonly OptionDefinition LiveMigrationPermitPostCopy = new()
        {
            Group = Group,
            Name = "live_migration_permit_post_copy",
            Type = OptionType.Boolean,
            Default = "false",
            Help = "Allow switching to post-copy, where the guest runs on the destination while memory still arrives.",
            Consumer = Component.LiveMigration,
        };

        public static readonly OptionDefinition LiveMigrationCompletionTimeout = new()
        {
            Group = Group,
            Name = "live_migration_completion_timeout",
            Type = OptionType.Integer,
            Default = "800",
            Minimum = 0,
            Help = "Seconds per GiB of guest memory and disk before a migration is aborted; 0 means no limit.",
            Consumer = Component.LiveMigration,
        };

        public static readonly OptionDefinition LiveMigrationDowntime = new()
        {
            Group = Group,
            Name = "live_migration_downtime",
            Type = OptionType.Integer,
            Default = "500",
            Minimum = 100,
            Help = "The maximum pause, in milliseconds, allowed at the end of a live migration.",
            Consumer = Component.LiveMigration,
        };

        private static IReadOnlyList<OptionDefinition> MigrationOptions =>
        [
            LiveMigrationUri, LiveMigrationScheme, LiveMigrationInboundAddr, LiveMigrationTunnelled,
            LiveMigrationPermitAutoConverge, LiveMigrationPermitPostCopy, LiveMigrationCompletionTimeout, LiveMigrationDowntime,
        ];
    }
}
