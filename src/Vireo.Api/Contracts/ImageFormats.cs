namespace Vireo.Api.Contracts;

/// <summary>The formats an image may be declared with: Glance's defaults (<c>[image_format] disk_formats</c>, <c>container_formats</c>).</summary>
public static class ImageFormats
{
    public static IReadOnlyList<string> DiskFormats { get; } = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"];

    public static IReadOnlyList<string> ContainerFormats { get; } = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];
}
