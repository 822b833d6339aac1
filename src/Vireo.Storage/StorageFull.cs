using Vireo.Core;

namespace Vireo.Storage;

/// <summary>
/// The storage media full (ENOSPC, or EDQUOT for a quota) while writing an image, a base or a
/// conversion: <see cref="ErrorKind.TooLarge"/> with Glance's words ("Image storage media is
/// full: ...", HTTP 413), so the client knows sending less or later may work and nothing is kept.
/// </summary>
internal static class StorageFull
{
    /// <summary>Linux errno values; .NET's IOException carries the errno as its HResult on Unix.</summary>
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;

    public static bool IsDiskFull(IOException exception) => exception.HResult is NoSpace or QuotaExceeded;

    /// <summary>strerror(ENOSPC) / strerror(EDQUOT) in a child's message (the child runs with LC_ALL=C).</summary>
    public static bool IsNoSpaceMessage(string standardError) =>
        standardError.Contains("No space left on device", StringComparison.Ordinal)
        || standardError.Contains("Disk quota exceeded", StringComparison.Ordinal);

    /// <param name="detail">What ran out of space, where.</param>
    public static VireoException Exception(string detail, Exception? innerException) =>
        new(ErrorKind.TooLarge, $"Image storage media is full: {detail}; free space there (or send a smaller image) and try again", innerException);
}
