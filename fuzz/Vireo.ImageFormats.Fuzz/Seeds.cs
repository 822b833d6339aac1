using System.Buffers.Binary;
using System.Text;

namespace Vireo.ImageFormats.Fuzz;

/// <summary>The seeds qemu-img cannot make: an ISO, a hybrid ISO, MBR and GPT disks, text descriptors naming host files.</summary>
public static class Seeds
{
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "iso"), Iso(hybrid: false));
        File.WriteAllBytes(Path.Combine(folder, "iso-hybrid"), Iso(hybrid: true));
        File.WriteAllBytes(Path.Combine(folder, "mbr"), Mbr((0x80, 0x83, 2048u), (0x00, 0x82, 4096u)));
        File.WriteAllBytes(Path.Combine(folder, "gpt"), Gpt());
        File.WriteAllBytes(Path.Combine(folder, "vmdk-text-passwd"), Encoding.ASCII.GetBytes(
            "# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\nRW 2048 FLAT \"/etc/passwd\" 0\nddb.adapterType = \"ide\"\n"));
    }

    private static byte[] Iso(bool hybrid)
    {
        var image = new byte[0x9000];
        image[0x8000] = 1;
        "CD001"u8.CopyTo(image.AsSpan(0x8001));
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x8000 + 80), 18);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x8000 + 128), 2048);
        image[0x8800] = 255;
        "CD001"u8.CopyTo(image.AsSpan(0x8801));
        if (hybrid)
        {
            WriteEntries(image, (0x80, 0x17, 0u));
        }

        return image;
    }

    private static byte[] Mbr(params (byte Boot, byte Type, uint Lba)[] entries)
    {
        var image = new byte[1024];
        WriteEntries(image, entries);
        return image;
    }

    private static byte[] Gpt()
    {
        var image = Mbr((0x00, 0xEE, 1u));
        "EFI PART"u8.CopyTo(image.AsSpan(512));
        return image;
    }

    private static void WriteEntries(byte[] image, params (byte Boot, byte Type, uint Lba)[] entries)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            image[446 + (16 * i)] = entries[i].Boot;
            image[446 + (16 * i) + 4] = entries[i].Type;
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(446 + (16 * i) + 8), entries[i].Lba);
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(446 + (16 * i) + 12), 100);
        }

        image[510] = 0x55;
        image[511] = 0xAA;
    }
}
