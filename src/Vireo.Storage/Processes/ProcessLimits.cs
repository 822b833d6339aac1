using System.Globalization;

namespace Vireo.Storage;

/// <summary>
/// What prlimit bounds a child process to: CPU seconds (RLIMIT_CPU: SIGXCPU, then SIGKILL) and
/// address space (RLIMIT_AS: allocations fail), the way Nova runs <c>qemu-img info</c>.
/// </summary>
public sealed record ProcessLimits(int CpuSeconds, long AddressSpaceBytes)
{
    /// <summary>prlimit's options for these limits (soft and hard limit alike).</summary>
    public IReadOnlyList<string> PrlimitOptions =>
    [
        "--cpu=" + CpuSeconds.ToString(CultureInfo.InvariantCulture),
        "--as=" + AddressSpaceBytes.ToString(CultureInfo.InvariantCulture),
    ];

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{CpuSeconds} s of CPU, {AddressSpaceBytes} bytes of address space");
}
