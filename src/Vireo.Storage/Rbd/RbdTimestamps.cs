using System.Globalization;

namespace Vireo.Storage.Rbd;

/// <summary>
/// The time stamps <c>rbd info --format json</c> prints (create_timestamp, access_timestamp,
/// modify_timestamp): ctime(3) text, "Mon Dec  7 19:41:43 2026", in the local time of the rbd
/// process. Its environment is the process runner's (no TZ), so that is the host's /etc/localtime,
/// which <see cref="TimeZoneInfo.Local"/> also reads when the service runs without TZ.
/// </summary>
public static class RbdTimestamps
{
    /// <summary>The instant; null for null, empty or text that is not ctime's.</summary>
    public static DateTimeOffset? Parse(string? text, TimeZoneInfo? zone = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var collapsed = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (!DateTime.TryParseExact(collapsed, "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var offset = (zone ?? TimeZoneInfo.Local).GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
    }
}
