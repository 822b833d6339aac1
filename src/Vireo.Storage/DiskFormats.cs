using System.Diagnostics.CodeAnalysis;

namespace Vireo.Storage;

/// <summary>The disk formats this storage layer accepts today.</summary>
public static class DiskFormats
{
    public const string Raw = "raw";
    public const string Qcow2 = "qcow2";

    /// <summary>raw and qcow2; the other Glance formats wait for the full inspector.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Raw, Qcow2];

    public static bool IsSupported([NotNullWhen(true)] string? format) => format is Raw or Qcow2;
}
