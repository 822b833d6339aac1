namespace Vireo.Core;

/// <summary>CPU feature names several layers decide on, spelled as libvirt's cpu_map spells them.</summary>
public static class CpuFeatureNames
{
    /// <summary>The hardware-virtualization features a guest needs to run nested guests: Intel VT-x, AMD-V.</summary>
    public static readonly IReadOnlyList<string> Virtualization = ["vmx", "svm"];
}
