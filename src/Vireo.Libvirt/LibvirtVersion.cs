using Vireo.Libvirt.Interop;

namespace Vireo.Libvirt;

/// <summary>A libvirt-encoded version (major * 1,000,000 + minor * 1,000 + release).</summary>
public readonly record struct LibvirtVersion(int Major, int Minor, int Release) : IComparable<LibvirtVersion>
{
    public static LibvirtVersion FromEncoded(ulong encoded) =>
        new((int)(encoded / 1_000_000), (int)(encoded / 1_000 % 1_000), (int)(encoded % 1_000));

    /// <summary>The version of the libvirt library loaded into this process.</summary>
    public static LibvirtVersion Library()
    {
        Checked.EnsureInitialized();
        Checked.Int(NativeMethods.virGetVersion(out var lib, null, out _), "virGetVersion");
        return FromEncoded(lib);
    }

    public int CompareTo(LibvirtVersion other) =>
        (Major, Minor, Release).CompareTo((other.Major, other.Minor, other.Release));

    public static bool operator <(LibvirtVersion a, LibvirtVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(LibvirtVersion a, LibvirtVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(LibvirtVersion a, LibvirtVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(LibvirtVersion a, LibvirtVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Release}";
}
