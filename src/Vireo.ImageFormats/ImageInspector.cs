using Vireo.Core;
using Vireo.ImageFormats.Formats;

namespace Vireo.ImageFormats;

/// <summary>
/// Detects an image's format from its content and checks it is safe to hand to QEMU, in
/// process and without QEMU: the header of every known format is looked for, the one found
/// gives the virtual size, and every reason to refuse the image is returned as a
/// <see cref="Violation"/>. Works on any stream positioned anywhere (offsets are absolute from
/// its start); reads at most <see cref="MaxBytesRead"/> bytes whatever the image's size; gives
/// a verdict for every byte sequence and throws only what the stream itself throws.
/// </summary>
public static class ImageInspector
{
    /// <summary>
    /// The first bytes read from every image: they hold every header looked for at fixed
    /// offsets (qcow2, QED, VMDK, VHD copy, VDI, LUKS and MBR/GPT in the first sectors, ISO
    /// volume descriptors at 0x8000-0x97ff).
    /// </summary>
    public const int HeadBytes = 64 * 1024;

    /// <summary>
    /// The most bytes one inspection reads: the 64 KiB head, plus, only when the head calls
    /// for them, the VHD footer (512 B), VHDX region and metadata tables (2 × 64 KiB), a VMDK
    /// descriptor (under 1 MiB, as QEMU reads) and footer (1.5 KiB), and qcow2/QED backing file
    /// names (1 KiB each): about 1.3 MiB at worst, held under 2 MiB by <see cref="BoundedReader"/>.
    /// </summary>
    public const int MaxBytesRead = 2 * 1024 * 1024;

    /// <summary>
    /// The formats the inspector detects (<see cref="DiskFormats.IsDetected"/>), in the order QEMU's
    /// probe would prefer when several headers match (magic at offset 0 first).
    /// </summary>
    public static IReadOnlyList<DiskFormat> ProbeOrder { get; } =
    [
        DiskFormat.Qcow2, DiskFormat.Qed, DiskFormat.Vmdk, DiskFormat.Vhdx, DiskFormat.Vdi, DiskFormat.Luks,
        DiskFormat.Vhd, DiskFormat.Iso, DiskFormat.Gpt, DiskFormat.Raw,
    ];

    public static InspectionResult Inspect(Stream stream, InspectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= InspectOptions.Default;
        var reader = new BoundedReader(stream, MaxBytesRead);
        var head = reader.Read(0, HeadBytes);
        var image = new ImageContext(reader, head, options);

        var matches = new List<FormatMatch>();
        var fixedVhdOnly = false;
        if (Qcow2Format.Matches(head))
        {
            matches.Add(Qcow2Format.Inspect(image));
        }

        if (QedFormat.Matches(head))
        {
            matches.Add(QedFormat.Inspect(image));
        }

        if (VmdkFormat.Matches(head))
        {
            matches.Add(VmdkFormat.Inspect(image));
        }

        if (VhdxFormat.Matches(head))
        {
            matches.Add(VhdxFormat.Inspect(image));
        }

        if (VdiFormat.Matches(head))
        {
            matches.Add(VdiFormat.Inspect(image));
        }

        if (LuksFormat.Matches(head))
        {
            matches.Add(LuksFormat.Inspect(image));
        }

        if (VhdFormat.MatchesHead(head))
        {
            matches.Add(VhdFormat.Inspect(image, null));
        }
        else if (VhdFormat.FixedFooter(image) is { } footer)
        {
            fixedVhdOnly = true;
            matches.Add(VhdFormat.Inspect(image, footer));
        }

        if (IsoFormat.Matches(head))
        {
            matches.Add(IsoFormat.Inspect(image));
        }

        if (PartitionTableFormat.Matches(head))
        {
            matches.Add(PartitionTableFormat.Inspect(image));
        }

        return Decide(image, matches, fixedVhdOnly, reader.BytesRead);
    }

    private static InspectionResult Decide(ImageContext image, List<FormatMatch> matches, bool fixedVhdOnly, long bytesRead)
    {
        var violations = new List<Violation>();
        var considered = matches.ToList();

        // Nova's exceptions: a hybrid bootable ISO carries an MBR/GPT for USB sticks and is an
        // ISO; a fixed VHD's data is a whole disk, partition table included, and is a VHD.
        if (considered.Count > 1 && considered.Any(m => m.Format == DiskFormat.Iso || (m.Format == DiskFormat.Vhd && fixedVhdOnly)))
        {
            considered.RemoveAll(m => m.Format == DiskFormat.Gpt);
        }

        FormatMatch chosen;
        if (considered.Count == 0)
        {
            chosen = new FormatMatch(DiskFormat.Raw, image.RawVirtualSize, null, []);
        }
        else
        {
            chosen = considered.OrderBy(m => Priority(m.Format)).First();
            if (considered.Count > 1)
            {
                violations.Add(new Violation(ViolationNames.FormatAmbiguous,
                    $"the image matches {considered.Count} formats ({string.Join("; ", considered.OrderBy(m => Priority(m.Format)).Select(m => $"{m.Format.Name()}: {Evidence(m.Format, fixedVhdOnly)}"))}); QEMU would read it as {chosen.Format.Name()} while it may be registered as another, so an image must match exactly one; rebuild it"));
            }
        }

        foreach (var match in considered)
        {
            violations.AddRange(match.Violations);
        }

        var detected = chosen.Format;
        var declared = image.Options.DeclaredFormat;
        if (declared is not null)
        {
            if (!DeclaredFormats.TryParse(declared, out var declaredFormat))
            {
                violations.Add(new Violation(ViolationNames.FormatUnknownDeclared,
                    $"the image is declared with disk_format '{Text.Shown(declared)}', which Vireo cannot check (known: {string.Join(", ", DeclaredFormats.Known.Select(f => f.Name()))}); register it with the format its content has"));
            }
            else if (declaredFormat == DiskFormat.Raw && detected == DiskFormat.Gpt)
            {
                // Nova: a partitioned disk registered as raw is raw.
                detected = DiskFormat.Raw;
            }
            else if (declaredFormat != detected)
            {
                violations.Add(new Violation(ViolationNames.FormatMismatch,
                    $"the image is declared as {declaredFormat.Name()} but its content is {detected.Name()} ({Evidence(detected, fixedVhdOnly)}); register it with disk_format {detected.Name()} or convert it with `qemu-img convert -O {declaredFormat.QemuName()}`"));
            }
        }

        return new InspectionResult
        {
            DetectedFormat = detected,
            VirtualSizeBytes = chosen.VirtualSizeBytes,
            Subformat = chosen.Subformat,
            Matches = matches.Select(m => m.Format).ToList(),
            Violations = violations,
            BytesRead = bytesRead,
        };
    }

    private static int Priority(DiskFormat format)
    {
        var all = ProbeOrder;
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i] == format)
            {
                return i;
            }
        }

        return all.Count;
    }

    private static string Evidence(DiskFormat format, bool fixedVhdOnly) => format switch
    {
        DiskFormat.Raw => "no known header",
        DiskFormat.Qcow2 => "magic 'QFI\\xfb' at byte 0",
        DiskFormat.Qed => "magic 'QED\\x00' at byte 0",
        DiskFormat.Vmdk => "a VMDK header or descriptor at byte 0",
        DiskFormat.Vhd => fixedVhdOnly ? "cookie 'conectix' in the last 512 bytes" : "cookie 'conectix' at byte 0",
        DiskFormat.Vhdx => "identifier 'vhdxfile' at byte 0",
        DiskFormat.Vdi => "signature 0xbeda107f at byte 0x40",
        DiskFormat.Iso => "a volume descriptor at byte 0x8000",
        DiskFormat.Luks => "magic 'LUKS\\xba\\xbe' at byte 0",
        DiskFormat.Gpt => "boot signature 0x55AA at byte 510",
        _ => format.Name(),
    };
}
