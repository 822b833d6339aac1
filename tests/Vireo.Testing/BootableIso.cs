using System.Buffers.Binary;
using System.Text;

namespace Vireo.Testing;

/// <summary>
/// A minimal bootable ISO 9660 image, built byte by byte: a primary volume descriptor, an
/// El Torito boot record whose catalog boots one image in no-emulation mode, and the terminator.
/// With a boot sector that writes to the serial port (the host check's probe), a guest that boots
/// from it as a CD-ROM proves so on its console.
/// </summary>
public static class BootableIso
{
    private const int Sector = 2048;
    private const int PrimarySector = 16;
    private const int BootRecordSector = 17;
    private const int TerminatorSector = 18;
    private const int CatalogSector = 19;
    private const int BootImageSector = 20;
    private const int TotalSectors = 32;

    /// <param name="bootSector">The boot image (up to 2048 bytes) BIOS loads at 0:7C00 and jumps to.</param>
    public static byte[] Build(ReadOnlySpan<byte> bootSector, string volumeId = "VIREO_TEST")
    {
        if (bootSector.Length is 0 or > Sector)
        {
            throw new ArgumentOutOfRangeException(nameof(bootSector), bootSector.Length, "a no-emulation boot image of 1 to 2048 bytes");
        }

        var iso = new byte[TotalSectors * Sector];
        Descriptor(iso, PrimarySector, 1);
        var pvd = iso.AsSpan(PrimarySector * Sector, Sector);
        Ascii(pvd[8..40], "");
        Ascii(pvd[40..72], volumeId);
        BothEndian32(pvd[80..88], TotalSectors);
        BothEndian16(pvd[120..124], 1); // volume set size
        BothEndian16(pvd[124..128], 1); // volume sequence number
        BothEndian16(pvd[128..132], Sector); // logical block size
        pvd[881] = 1; // file structure version

        Descriptor(iso, BootRecordSector, 0);
        var bootRecord = iso.AsSpan(BootRecordSector * Sector, Sector);
        Encoding.ASCII.GetBytes("EL TORITO SPECIFICATION").CopyTo(bootRecord[7..]);
        BinaryPrimitives.WriteUInt32LittleEndian(bootRecord[71..], CatalogSector);

        Descriptor(iso, TerminatorSector, 255);

        var catalog = iso.AsSpan(CatalogSector * Sector, 64);
        catalog[0] = 1; // validation entry, platform 0 = x86
        catalog[30] = 0x55;
        catalog[31] = 0xAA;
        ushort sum = 0;
        for (var i = 0; i < 32; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16LittleEndian(catalog[i..]);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(catalog[28..], (ushort)(0x10000 - sum));
        catalog[32] = 0x88; // bootable
        catalog[33] = 0; // no emulation
        BinaryPrimitives.WriteUInt16LittleEndian(catalog[38..], 4); // 4 virtual 512-byte sectors
        BinaryPrimitives.WriteUInt32LittleEndian(catalog[40..], BootImageSector);

        bootSector.CopyTo(iso.AsSpan(BootImageSector * Sector));
        return iso;
    }

    private static void Descriptor(byte[] iso, int sector, byte type)
    {
        var span = iso.AsSpan(sector * Sector, Sector);
        span[0] = type;
        Encoding.ASCII.GetBytes("CD001").CopyTo(span[1..]);
        span[6] = 1;
    }

    private static void Ascii(Span<byte> field, string text)
    {
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(text).CopyTo(field);
    }

    private static void BothEndian32(Span<byte> field, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(field, value);
        BinaryPrimitives.WriteInt32BigEndian(field[4..], value);
    }

    private static void BothEndian16(Span<byte> field, int value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(field, (short)value);
        BinaryPrimitives.WriteInt16BigEndian(field[2..], (short)value);
    }
}
