using System.Buffers.Binary;
using Vireo.Core;

namespace Vireo.ImageFormats.Formats;

/// <summary>
/// VMDK, after VMware's "Virtual Disk Format 1.1" (hosted sparse extent header, little-endian):
/// 0 magic "KDMV", 4 version, 8 flags, 12 capacity u64 (sectors), 20 grainSize u64,
/// 28 descriptorOffset u64 (sectors), 36 descriptorSize u64, 44 numGTEsPerGT u32,
/// 48 rgdOffset u64, 56 gdOffset u64 (0xffff_ffff_ffff_ffff: "at the end", streamOptimized
/// with a footer). A descriptor-only VMDK is a text file (QEMU block/vmdk.c vmdk_probe:
/// comments and blank lines, then <c>version=N</c>). "COWD" is the VMware 3 sparse format.
/// </summary>
internal static class VmdkFormat
{
    private const int HeaderLength = 64;

    // QEMU reads at most 1 MiB - 1 of descriptor text (block/vmdk.c vmdk_read_desc).
    public const int MaxDescriptorBytes = (1 << 20) - 1;

    // The streamOptimized footer (Virtual Disk Format 1.1, "The Stream-Optimized Compressed
    // Sparse Extent"): the last 1536 bytes are a footer marker sector (size 0, type 3), a copy
    // of the header, and an end-of-stream marker sector (all zero, type 0).
    public const int FooterBytes = 1536;
    private const ulong GrainDirectoryAtEnd = ulong.MaxValue;
    private const uint FooterMarker = 3;
    private const uint EndOfStreamMarker = 0;

    private const int MaxListedExtents = 8;

    public static bool Matches(ReadOnlySpan<byte> head) =>
        head.StartsWith("KDMV"u8) || head.StartsWith("COWD"u8) || TextDescriptor.Matches(head);

    public static FormatMatch Inspect(ImageContext image)
    {
        var head = image.Head.AsSpan();
        if (head.StartsWith("COWD"u8))
        {
            // VMware 3 sparse header: 12 disk_sectors u32 (QEMU block/vmdk.c VMDK3Header).
            long? size = head.Length >= 16 ? (long)BinaryPrimitives.ReadUInt32LittleEndian(head[12..]) * Sectors.Size : null;
            return new FormatMatch(DiskFormat.Vmdk, size, "vmware3", [new Violation(ViolationNames.VmdkUnsupportedVersion,
                "the image is a VMware 3 ('COWD') sparse disk, which has no createType and is not in [compute] vmdk_allowed_types; convert it with `qemu-img convert -O vmdk -o subformat=streamOptimized`")]);
        }

        return head.StartsWith("KDMV"u8) ? InspectSparse(image) : InspectText(image);
    }

    private static FormatMatch InspectSparse(ImageContext image)
    {
        var header = image.Head.AsSpan();
        if (header.Length < HeaderLength)
        {
            return FormatMatch.Truncated(DiskFormat.Vmdk,
                $"the image starts with the VMDK magic but is only {header.Length} bytes long, shorter than the 64-byte sparse extent header; upload the complete image");
        }

        var violations = new List<Violation>();
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (version is < 1 or > 3)
        {
            violations.Add(new Violation(ViolationNames.VmdkUnsupportedVersion,
                $"the VMDK sparse header has version {version} at byte 4; only versions 1 to 3 exist; convert the image with `qemu-img convert -O vmdk -o subformat=streamOptimized`"));
        }

        var gdOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[56..]);
        if (gdOffset == GrainDirectoryAtEnd)
        {
            // QEMU then takes every field from the footer's copy of the header.
            var footer = ReadFooter(image, out var problem);
            if (footer is null)
            {
                violations.Add(new Violation(ViolationNames.VmdkInvalidFooter,
                    $"the VMDK header puts the grain directory at the end (gdOffset 0xffffffffffffffff at byte 56) but {problem}; re-export the image as streamOptimized"));
            }
            else
            {
                header = footer.AsSpan(512);
            }
        }

        var capacity = BinaryPrimitives.ReadUInt64LittleEndian(header[12..]);
        var descriptorOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[28..]);
        var descriptorSectors = BinaryPrimitives.ReadUInt64LittleEndian(header[36..]);
        long? virtualSize = Sectors.ToBytes(capacity);
        if (descriptorOffset == 0)
        {
            violations.Add(new Violation(ViolationNames.VmdkDescriptorMissing,
                "the VMDK sparse header has no embedded descriptor (descriptorOffset 0 at byte 28), so its createType cannot be checked; convert the image with `qemu-img convert -O vmdk -o subformat=streamOptimized`"));
            return new FormatMatch(DiskFormat.Vmdk, virtualSize, null, violations);
        }

        var offset = Sectors.ToBytes(descriptorOffset);
        if (offset is null || (image.Length is { } length && offset >= length))
        {
            violations.Add(new Violation(ViolationNames.FormatTruncated,
                $"the VMDK descriptor should start at sector {Text.Number(descriptorOffset)} (descriptorOffset at byte 28), past the end of the image; upload the complete image"));
            return new FormatMatch(DiskFormat.Vmdk, virtualSize, null, violations);
        }

        var firstPiece = (int)Math.Clamp(descriptorSectors, 1, 128) * Sectors.Size;
        var text = image.Reader.ReadUntilNul(offset.Value, MaxDescriptorBytes, firstPiece);
        var descriptor = VmdkDescriptor.Parse(text);

        // With capacity 0 QEMU reads the embedded descriptor as a descriptor file and opens its
        // extents (block/vmdk.c vmdk_open_vmdk4): the path of CVE-2022-47951.
        var selfContained = capacity != 0;
        if (!selfContained)
        {
            virtualSize = ExtentBytes(descriptor);
        }

        violations.AddRange(Check(descriptor, selfContained, image.Options));
        return new FormatMatch(DiskFormat.Vmdk, virtualSize, descriptor.CreateType, violations);
    }

    private static FormatMatch InspectText(ImageContext image)
    {
        var head = image.Head;
        var nul = Array.IndexOf(head, (byte)0);
        var text = nul >= 0 ? head.AsSpan(0, nul).ToArray()
            : head.Length < ImageInspector.HeadBytes ? head
            : image.Reader.ReadUntilNul(0, MaxDescriptorBytes, ImageInspector.HeadBytes);
        var descriptor = VmdkDescriptor.Parse(text);
        var violations = Check(descriptor, selfContained: false, image.Options);
        return new FormatMatch(DiskFormat.Vmdk, ExtentBytes(descriptor), descriptor.CreateType, violations);
    }

    /// <summary>What QEMU adds up for a descriptor file: the RW extents that name a file (vmdk_parse_extents skips the rest).</summary>
    private static long? ExtentBytes(VmdkDescriptor descriptor)
    {
        var total = 0UL;
        foreach (var extent in descriptor.Extents)
        {
            if (extent.Access == "RW" && extent.File is not null)
            {
                total += extent.Sectors;
                if (total > long.MaxValue / Sectors.Size)
                {
                    return null;
                }
            }
        }

        return (long)total * Sectors.Size;
    }

    private static byte[]? ReadFooter(ImageContext image, out string problem)
    {
        if (image.Length is not { } length || length < FooterBytes + Sectors.Size)
        {
            problem = "the image's length is unknown or too short to hold the 1536-byte footer";
            return null;
        }

        var footer = image.Read(length - FooterBytes, FooterBytes);
        if (footer.Length < FooterBytes)
        {
            problem = "the footer could not be read";
            return null;
        }

        var span = footer.AsSpan();
        var valid = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]) == 0
            && BinaryPrimitives.ReadUInt32LittleEndian(span[12..]) == FooterMarker
            && span[512..].StartsWith("KDMV"u8)
            && BinaryPrimitives.ReadUInt64LittleEndian(span[1024..]) == 0
            && BinaryPrimitives.ReadUInt32LittleEndian(span[1032..]) == 0
            && BinaryPrimitives.ReadUInt32LittleEndian(span[1036..]) == EndOfStreamMarker
            && BinaryPrimitives.ReadUInt64LittleEndian(span[(512 + 56)..]) != GrainDirectoryAtEnd;
        problem = valid ? string.Empty : "the last 1536 bytes are not a footer marker, a header copy with a real gdOffset and an end-of-stream marker";
        return valid ? footer : null;
    }

    private static List<Violation> Check(VmdkDescriptor descriptor, bool selfContained, InspectOptions options)
    {
        var violations = new List<Violation>();
        var allowed = options.VmdkAllowedTypes;
        var allowedText = allowed.Count == 0 ? "none" : string.Join(", ", allowed);
        if (descriptor.CreateTypes.Count == 0)
        {
            violations.Add(new Violation(ViolationNames.VmdkCreateTypeNotAllowed,
                $"the VMDK descriptor has no createType line, so its subformat is unknown ([compute] vmdk_allowed_types: {allowedText}); convert the image with `qemu-img convert -O vmdk -o subformat=streamOptimized`"));
        }
        else
        {
            var refused = descriptor.CreateTypes
                .Where(type => !allowed.Any(a => a.Equals(type, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            if (refused.Count > 0)
            {
                violations.Add(new Violation(ViolationNames.VmdkCreateTypeNotAllowed,
                    $"the VMDK descriptor's createType {string.Join(", ", refused.Select(t => $"'{Text.Shown(t)}'"))} is not in [compute] vmdk_allowed_types ({allowedText}); convert the image with `qemu-img convert -O vmdk -o subformat=streamOptimized`"));
            }
        }

        if (descriptor.SyntaxErrors.Count > 0)
        {
            var first = descriptor.SyntaxErrors[0];
            var more = descriptor.SyntaxErrors.Count > 1 ? $" and {descriptor.SyntaxErrors.Count - 1} more line(s)" : string.Empty;
            violations.Add(new Violation(ViolationNames.VmdkDescriptorSyntax,
                $"the VMDK descriptor has a line outside its grammar (line {first.Line}: '{first.Shown}'){more}; only comments, key = value lines and extent lines are allowed; convert the image with qemu-img"));
        }

        if (descriptor.Extents.Count == 0)
        {
            violations.Add(new Violation(ViolationNames.VmdkDescriptorSyntax,
                "the VMDK descriptor has no extent line, so it does not say where its data is; convert the image with qemu-img"));
        }

        // A monolithic sparse file's one SPARSE extent names the file itself, by a bare name;
        // QEMU does not open it. Any other named extent is a host file QEMU would open.
        var self = selfContained && descriptor.Extents.Count == 1 && descriptor.Extents[0] is { Type: "SPARSE", File: { } name } && IsBareName(name);
        var named = self ? [] : descriptor.Extents.Where(extent => extent.File is not null).ToList();
        foreach (var extent in named.Take(MaxListedExtents))
        {
            violations.Add(new Violation(ViolationNames.VmdkExtentFile,
                $"the VMDK descriptor's extent on line {extent.Line} ({extent.Access} {Text.Number(extent.Sectors)} {extent.Type}) names the file '{Text.Shown(extent.File!)}', which QEMU would open on the host; upload a single-file monolithicSparse or streamOptimized VMDK instead"));
        }

        if (named.Count > MaxListedExtents)
        {
            violations.Add(new Violation(ViolationNames.VmdkExtentFile,
                $"the VMDK descriptor names {named.Count - MaxListedExtents} more extent file(s); upload a single-file monolithicSparse or streamOptimized VMDK instead"));
        }

        foreach (var parent in descriptor.ParentFileNames.Where(p => p.Length > 0).Take(MaxListedExtents))
        {
            violations.Add(new Violation(ViolationNames.VmdkParentFile,
                $"the VMDK descriptor names a parent disk (parentFileNameHint '{Text.Shown(parent)}'), which QEMU would open as a backing file; flatten the image with `qemu-img convert -O vmdk -o subformat=streamOptimized`"));
        }

        return violations;
    }

    private static bool IsBareName(string name) =>
        name.Length > 0 && name is not ("." or "..") && name.IndexOfAny(['/', '\\', ':']) < 0 && !name.Any(char.IsControl);

    /// <summary>QEMU's vmdk_probe for descriptor files, plus the descriptor's usual first line.</summary>
    private static class TextDescriptor
    {
        // QEMU probes the first 512 bytes (block.c BLOCK_PROBE_BUF_SIZE).
        private const int ProbeBytes = 512;

        public static bool Matches(ReadOnlySpan<byte> head)
        {
            var trimmed = head.TrimStart(" \t\r\n"u8);
            if (trimmed.Length >= 21 && System.Text.Ascii.EqualsIgnoreCase(trimmed[..21], "# Disk DescriptorFile"u8))
            {
                return true;
            }

            var p = head[..Math.Min(head.Length, ProbeBytes)];
            while (p.Length > 0)
            {
                if (p[0] == '#')
                {
                    var newline = p.IndexOf((byte)'\n');
                    p = newline < 0 ? [] : p[(newline + 1)..];
                    continue;
                }

                if (p[0] == ' ')
                {
                    p = p.TrimStart((byte)' ');
                    if (p.Length > 0 && p[0] == '\r')
                    {
                        p = p[1..];
                    }

                    if (p.Length == 0 || p[0] != '\n')
                    {
                        return false;
                    }

                    p = p[1..];
                    continue;
                }

                return IsVersionLine(p);
            }

            return false;
        }

        private static bool IsVersionLine(ReadOnlySpan<byte> p) =>
            p.Length >= 10 && p.StartsWith("version="u8) && p[8] is (byte)'1' or (byte)'2' or (byte)'3'
            && (p[9] == '\n' || (p.Length >= 11 && p[9] == '\r' && p[10] == '\n'));
    }
}
