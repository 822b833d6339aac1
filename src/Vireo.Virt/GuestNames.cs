using System.Text;

namespace Vireo.Virt;

/// <summary>
/// The libvirt name of an instance's domain. libvirt requires names to be unique per daemon, so
/// the full instance uuid is part of it; the server name is only there so that <c>virsh list</c>
/// is readable. Lookups always go by uuid, never by this name.
/// </summary>
public static class GuestNames
{
    public const string Prefix = "vireo-";

    /// <summary>How much of the server name is kept; the whole name stays under 60 characters.</summary>
    public const int MaxServerNameLength = 16;

    /// <summary><c>vireo-&lt;sanitised server name&gt;-&lt;uuid&gt;</c>, or <c>vireo-&lt;uuid&gt;</c> when nothing of the name survives.</summary>
    public static string DomainName(Guid instanceId, string? serverName)
    {
        var readable = Sanitise(serverName ?? string.Empty);
        var uuid = instanceId.ToString("D");
        return readable.Length == 0 ? Prefix + uuid : $"{Prefix}{readable}-{uuid}";
    }

    /// <summary>Lower-case ASCII letters, digits and single dashes, at most <see cref="MaxServerNameLength"/> characters.</summary>
    public static string Sanitise(string serverName)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        var text = new StringBuilder(MaxServerNameLength);
        foreach (var c in serverName)
        {
            if (text.Length == MaxServerNameLength)
            {
                break;
            }

            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterOrDigit(lower))
            {
                text.Append(lower);
            }
            else if (text.Length > 0 && text[^1] != '-')
            {
                text.Append('-');
            }
        }

        return text.ToString().Trim('-');
    }
}
