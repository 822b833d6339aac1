using Vireo.Configuration.Catalogue;

namespace Vireo.Configuration.Loading;

/// <summary>What the caller decides about a load: strictness, which consumers exist, and run-time facts for dynamic defaults.</summary>
public sealed record LoadSettings
{
    /// <summary>Turn every warning into an error (<c>--strict</c>).</summary>
    public bool Strict { get; init; }

    /// <summary>The components that exist; options consumed by others warn "not implemented yet" when set.</summary>
    public IReadOnlySet<Component> Implemented { get; init; } = Components.Implemented;

    /// <summary>This machine's host name, the value of <c>$host</c> when [DEFAULT] host is unset.</summary>
    public string? HostName { get; init; }

    /// <summary>This machine's address, the value of <c>$my_ip</c> when [DEFAULT] my_ip is unset.</summary>
    public string? HostIp { get; init; }
}
