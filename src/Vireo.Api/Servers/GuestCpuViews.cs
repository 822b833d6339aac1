using System.Globalization;
using Vireo.Api.Contracts;
using Vireo.Core;

namespace Vireo.Api.Servers;

/// <summary>The instance's recorded guest CPU as the <c>vireo-guest-cpu</c> extension shows it.</summary>
internal static class GuestCpuViews
{
    public static GuestCpuView For(Instance instance)
    {
        var id = instance.Id.ToString("D", CultureInfo.InvariantCulture);
        if (instance.EffectiveCpu is not { } cpu)
        {
            return new GuestCpuView { ServerId = id, Recorded = false };
        }

        return new GuestCpuView
        {
            ServerId = id,
            Recorded = true,
            RequestedMode = cpu.RequestedMode,
            Mode = cpu.Mode,
            Model = cpu.Model,
            Vendor = cpu.Vendor,
            Features = [.. cpu.Features.Select(f => new GuestCpuFeatureView { Name = f.Name, Policy = f.Policy })],
            Nested = new GuestNestedView { Exposed = cpu.Virtualization.Exposed, Feature = cpu.Virtualization.Feature, Reason = cpu.Virtualization.Reason },
            RecordedAt = ServerViews.Timestamp(cpu.RecordedAt),
        };
    }
}
