using System.Globalization;

namespace Vireo.Core;

/// <summary>
/// The image store's limits as decisions over numbers, and their refusals in Glance's words
/// (<c>glance/api/v2/image_data.py</c>, <c>glance/common/exception.py</c>): all
/// <see cref="ErrorKind.TooLarge"/> (HTTP 413).
/// </summary>
public static class ImageLimits
{
    /// <summary>True when a stream of <paramref name="sizeBytes"/> is over the cap (the cap itself is allowed).</summary>
    public static bool IsOverCap(long sizeBytes, long capBytes) => sizeBytes > capBytes;

    /// <summary>True when <paramref name="count"/> properties are over the quota; a negative quota is no limit (Glance's -1).</summary>
    public static bool IsOverPropertyQuota(int count, int quota) => quota >= 0 && count > quota;

    /// <summary>Glance's ImageSizeLimitExceeded as its upload answers it, with the option to change.</summary>
    public static VireoException SizeCapExceeded(long capBytes) => new(
        ErrorKind.TooLarge,
        string.Create(CultureInfo.InvariantCulture, $"The incoming image is too large: The provided image is too large. It is over the image size cap of {capBytes} bytes ([image] image_size_cap); send a smaller image or raise the cap"));

    /// <summary>The declared Content-Length over the cap: refused before any byte is read.</summary>
    public static VireoException DeclaredSizeOverCap(long declaredBytes, long capBytes) => new(
        ErrorKind.TooLarge,
        string.Create(CultureInfo.InvariantCulture, $"The incoming image is too large: The provided image is too large. Its Content-Length {declaredBytes} is over the image size cap of {capBytes} bytes ([image] image_size_cap); send a smaller image or raise the cap"));

    /// <summary>An image whose disk, once expanded, would be over the cap.</summary>
    public static VireoException VirtualSizeOverCap(string name, long virtualSizeBytes, long capBytes) => new(
        ErrorKind.TooLarge,
        string.Create(CultureInfo.InvariantCulture, $"image '{name}' is refused: The provided image is too large. Its virtual size {virtualSizeBytes} bytes is over the image size cap of {capBytes} bytes ([image] image_size_cap); send an image with a smaller disk or raise the cap"));

    /// <summary>Glance's ImagePropertyLimitExceeded.</summary>
    public static VireoException PropertyQuotaExceeded(int attempted, int maximum) => new(
        ErrorKind.TooLarge,
        string.Create(CultureInfo.InvariantCulture, $"The limit has been exceeded on the number of allowed image properties. Attempted: {attempted}, Maximum: {maximum}"));

    /// <summary>Throws <see cref="PropertyQuotaExceeded"/> when <paramref name="count"/> is over <paramref name="quota"/>.</summary>
    public static void EnsurePropertyQuota(int count, int quota)
    {
        if (IsOverPropertyQuota(count, quota))
        {
            throw PropertyQuotaExceeded(count, quota);
        }
    }
}
