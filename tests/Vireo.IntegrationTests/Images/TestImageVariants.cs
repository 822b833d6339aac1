using System.Security.Cryptography;

namespace Vireo.IntegrationTests.Images;

/// <summary>One copy of the bootable test image in a disk format, as an operator would upload it.</summary>
/// <param name="Name">A short name for the variant (also used for image and server names).</param>
/// <param name="DiskFormat">Glance's disk_format to declare.</param>
/// <param name="QemuDriver">What QEMU calls the format (the backing format of an overlay on an unconverted base).</param>
public sealed record ImageVariant(string Name, string DiskFormat, string QemuDriver, string Path);

/// <summary>
/// The test image (scripts/build-test-image, qcow2) converted by the real qemu-img into the
/// formats operators bring: raw, qcow2, QED, VMDK monolithicSparse and streamOptimized. Made once
/// next to the cached test image (its folder is named by the image's build hash) and reused.
/// </summary>
public static class TestImageVariants
{
    private static readonly Lazy<IReadOnlyList<ImageVariant>> Made = new(Make);

    public static IReadOnlyList<ImageVariant> Bootable => Made.Value;

    private static List<ImageVariant> Make()
    {
        var source = TestImage.Qcow2Path;
        var folder = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(source)!, "variants");
        Directory.CreateDirectory(folder);
        (string Name, string DiskFormat, string QemuFormat, string[] Options)[] wanted =
        [
            ("raw", "raw", "raw", []),
            ("qcow2", "qcow2", "qcow2", []),
            ("qed", "qed", "qed", []),
            ("vmdk-sparse", "vmdk", "vmdk", ["-o", "subformat=monolithicSparse"]),
            ("vmdk-stream", "vmdk", "vmdk", ["-o", "subformat=streamOptimized"]),
        ];
        var variants = new List<ImageVariant>();
        foreach (var (name, diskFormat, qemuFormat, options) in wanted)
        {
            var path = System.IO.Path.Combine(folder, $"vireo-test.{name}");
            if (!File.Exists(path))
            {
                // Made under a temporary name and renamed: a run killed half-way leaves no broken variant.
                var partial = $"{path}.{RandomNumberGenerator.GetHexString(8, lowercase: true)}.part";
                Processes.Run("qemu-img", ["convert", "-f", "qcow2", "-O", qemuFormat, .. options, source, partial], TimeSpan.FromMinutes(5));
                File.Move(partial, path, overwrite: true);
            }

            variants.Add(new ImageVariant(name, diskFormat, qemuFormat, path));
        }

        return variants;
    }
}
