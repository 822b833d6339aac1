using Vireo.CpuModels;

namespace Vireo.Virt.CpuModels;

/// <summary>
/// Where a driver gets libvirt's CPU model facts (model names, features) from: a cpu_map directory,
/// read once per directory. The service and the offline <c>vireo cpu</c> tools use the map installed
/// with libvirt (<see cref="Installed"/>); tests pass a copy of the map they keep.
/// </summary>
public sealed class CpuMapSource
{
    public CpuMapSource(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    /// <summary>The map Debian's libvirt0 installs on this host (<see cref="CpuMapReader.InstalledDirectory"/>).</summary>
    public static CpuMapSource Installed { get; } = new(CpuMapReader.InstalledDirectory);

    public string Directory { get; }

    /// <summary>The maps of every architecture; null when the directory has no <c>index.xml</c> (libvirt not installed).</summary>
    public CpuMapSet? Load() => CpuMapReader.LoadCached(Directory);

    public override string ToString() => Directory;
}
