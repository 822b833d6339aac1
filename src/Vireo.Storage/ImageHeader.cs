namespace Vireo.Storage;

/// <summary>
/// The few header bytes the storage layer checks itself until the full inspector
/// (Vireo.ImageFormats) lands. <c>qemu-img info -f raw</c> reports "raw" for anything, so a
/// qcow2 file declared raw is only caught by looking.
/// </summary>
internal static class ImageHeader
{
    /// <summary>The qcow2 magic "QFI\xfb" at offset 0 (qcow2 spec, "Header", bytes 0-3).</summary>
    private static ReadOnlySpan<byte> Qcow2Magic => [0x51, 0x46, 0x49, 0xFB];

    public const int ProbeLength = 4;

    public static bool IsQcow2(ReadOnlySpan<byte> firstBytes) => firstBytes.StartsWith(Qcow2Magic);

    /// <summary>Reads the first bytes of a file (fewer when it is shorter).</summary>
    public static async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using (handle)
        {
            var buffer = new byte[ProbeLength];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(total), total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return buffer[..total];
        }
    }
}
