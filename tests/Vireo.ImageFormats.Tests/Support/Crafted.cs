using System.Buffers.Binary;

namespace Vireo.ImageFormats.Tests.Support;

/// <summary>Images whose few meaningful bytes are written by hand, after the specs the inspector cites.</summary>
public static class Crafted
{
    public sealed record Partition(byte BootFlag, byte Type, uint FirstLba, uint Sectors);

    /// <summary>An ISO 9660 image: a primary volume descriptor at sector 16 and a terminator at 17 (ECMA-119 8.4, 8.3).</summary>
    public static byte[] Iso(int blocks = 40, byte[]? systemArea = null)
    {
        var image = new byte[blocks * 2048];
        systemArea?.CopyTo(image, 0);
        var pvd = image.AsSpan(0x8000, 2048);
        pvd[0] = 1;
        "CD001"u8.CopyTo(pvd[1..]);
        pvd[6] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(pvd[80..], (uint)blocks);
        BinaryPrimitives.WriteUInt32BigEndian(pvd[84..], (uint)blocks);
        BinaryPrimitives.WriteUInt16LittleEndian(pvd[128..], 2048);
        BinaryPrimitives.WriteUInt16BigEndian(pvd[130..], 2048);
        var terminator = image.AsSpan(0x8800, 2048);
        terminator[0] = 255;
        "CD001"u8.CopyTo(terminator[1..]);
        terminator[6] = 1;
        return image;
    }

    /// <summary>A disk of the given size with an MBR holding these entries and the 0x55AA signature.</summary>
    public static byte[] Mbr(int sizeBytes, params Partition[] entries)
    {
        var image = new byte[sizeBytes];
        WriteMbr(image, entries);
        return image;
    }

    public static void WriteMbr(byte[] image, params Partition[] entries)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = image.AsSpan(446 + (16 * i), 16);
            entry[0] = entries[i].BootFlag;
            entry[4] = entries[i].Type;
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], entries[i].FirstLba);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], entries[i].Sectors);
        }

        image[510] = 0x55;
        image[511] = 0xAA;
    }

    /// <summary>A GPT disk: protective MBR (one 0xEE entry from LBA 1) and the "EFI PART" header at LBA 1.</summary>
    public static byte[] Gpt(int sizeBytes)
    {
        var image = Mbr(sizeBytes, new Partition(0, 0xEE, 1, (uint)(sizeBytes / 512) - 1));
        "EFI PART"u8.CopyTo(image.AsSpan(512));
        return image;
    }

    /// <summary>A raw disk image that happens to hold an image magic somewhere past its start.</summary>
    public static byte[] RawWithMagicInside(ReadOnlySpan<byte> magic, int offset, int sizeBytes)
    {
        var image = new byte[sizeBytes];
        magic.CopyTo(image.AsSpan(offset));
        return image;
    }
}
