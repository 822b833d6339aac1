using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Vireo.Api.Http;

/// <summary>
/// Compute API microversions (<c>nova/api/openstack/api_version_request.py</c>): the client
/// asks with <c>OpenStack-API-Version: compute 2.X</c> or the older
/// <c>X-OpenStack-Nova-API-Version: 2.X</c>; absent means the minimum, <c>latest</c> the
/// maximum; a malformed value is a 400 and one out of range a 406. Vireo serves 2.1 only.
/// </summary>
public static partial class Microversions
{
    public const string Header = "OpenStack-API-Version";
    public const string LegacyHeader = "X-OpenStack-Nova-API-Version";
    public const string ServiceType = "compute";

    public static Version Minimum { get; } = new(2, 1);

    public static Version Maximum { get; } = new(2, 1);

    public static string Format(Version version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return string.Create(CultureInfo.InvariantCulture, $"{version.Major}.{version.Minor}");
    }

    /// <summary>The version a request asks for, or the status and message refusing it.</summary>
    public static (Version? Version, int Status, string? Problem) Negotiate(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var requested = FromServiceHeader(headers[Header].ToString()) ?? NullIfEmpty(headers[LegacyHeader].ToString());
        if (requested is null)
        {
            return (Minimum, StatusCodes.Status200OK, null);
        }

        if (string.Equals(requested, "latest", StringComparison.OrdinalIgnoreCase))
        {
            return (Maximum, StatusCodes.Status200OK, null);
        }

        if (Parse(requested) is not { } version)
        {
            return (null, StatusCodes.Status400BadRequest,
                $"API Version String '{ApiFaults.WellFormed(requested)}' is of invalid format. Must be of format MajorNum.MinorNum with ASCII digits, each number below {int.MaxValue}.");
        }

        if (version < Minimum || version > Maximum)
        {
            return (null, StatusCodes.Status406NotAcceptable,
                $"Version {Format(version)} is not supported by the API. Minimum is {Format(Minimum)} and maximum is {Format(Maximum)}.");
        }

        return (version, StatusCodes.Status200OK, null);
    }

    /// <summary>Echoes the version served, as Nova does on every v2.1 response.</summary>
    public static void Echo(IHeaderDictionary responseHeaders, Version version)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        responseHeaders[Header] = $"{ServiceType} {Format(version)}";
        responseHeaders[LegacyHeader] = Format(version);
        responseHeaders.Vary = $"{Header}, {LegacyHeader}";
    }

    /// <summary>The compute entry of <c>OpenStack-API-Version</c> (<c>compute 2.1</c>, possibly among other services' entries).</summary>
    private static string? FromServiceHeader(string value)
    {
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && string.Equals(parts[0], ServiceType, StringComparison.OrdinalIgnoreCase))
            {
                return parts[1];
            }
        }

        return null;
    }

    /// <summary>
    /// <c>Major.Minor</c> in ASCII digits (no sign, no other script's digits, no leading zero
    /// except a minor of 0), each fitting an int; null otherwise.
    /// </summary>
    public static Version? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = VersionPattern().Match(text);
        return match.Success
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
                ? new Version(major, minor)
                : null;
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^([1-9][0-9]{0,9})\.([1-9][0-9]{0,9}|0)\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
