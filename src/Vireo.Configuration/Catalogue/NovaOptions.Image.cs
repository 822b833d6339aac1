namespace Vireo.Configuration.Catalogue;

public static partial class NovaOptions
{
    /// <summary>
    /// <c>[image]</c>: the limits of Vireo's image store (its Glance v2 subset). The first two are
    /// Glance's own <c>[DEFAULT]</c> options with Glance's defaults; nova.conf has no image store.
    /// </summary>
    public static class Image
    {
        private const string Group = "image";

        /// <summary>Glance's <c>image_size_cap</c>: 1 TiB.</summary>
        public const long DefaultImageSizeCapBytes = 1L << 40;

        public static readonly OptionDefinition ImageSizeCap = new()
        {
            Group = Group,
            Name = "image_size_cap",
            Type = OptionType.Integer,
            Default = "1099511627776",
            NovaDefault = "none, Nova has no image store (Glance's [DEFAULT] image_size_cap, the same 1099511627776 = 1 TiB)",
            Minimum = 1,
            Maximum = 9_223_372_036_854_775_806,
            Help = "The largest image, in bytes, the image store accepts: an upload or import stops at the first byte over it and keeps nothing (HTTP 413), a declared Content-Length over it is refused before any byte is stored, and an image whose virtual size is over it is refused too.",
            Consumer = Component.Api,
            Example = "10737418240",
        };

        public static readonly OptionDefinition ImagePropertyQuota = new()
        {
            Group = Group,
            Name = "image_property_quota",
            Type = OptionType.Integer,
            Default = "128",
            NovaDefault = "none, Nova has no image store (Glance's [DEFAULT] image_property_quota, the same 128)",
            Minimum = -1,
            Help = "The most properties one image may have (keys other than the image fields); more is refused with HTTP 413 as Glance does. -1: no limit.",
            Consumer = Component.Api,
            Example = "64",
        };

        public static readonly OptionDefinition MaxConcurrentUploads = new()
        {
            Group = Group,
            Name = "max_concurrent_uploads",
            Type = OptionType.Integer,
            Default = "4",
            NovaDefault = "none, Nova has no image store (Glance has no such limit)",
            Minimum = 1,
            Maximum = 1024,
            Help = "How many image uploads and imports may stream data at once; one more is refused with HTTP 503 and Retry-After, storing nothing.",
            Consumer = Component.Api,
            Example = "8",
        };

        public static IReadOnlyList<OptionDefinition> All { get; } = [ImageSizeCap, ImagePropertyQuota, MaxConcurrentUploads];
    }
}
