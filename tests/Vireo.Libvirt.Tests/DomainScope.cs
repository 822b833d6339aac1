namespace Vireo.Libvirt.Tests;

/// <summary>Removes a test domain whatever the test did to it: destroy if running, undefine if persistent.</summary>
public sealed class DomainScope(Connection connection, Guid uuid) : IDisposable
{
    public Guid Uuid { get; } = uuid;

    public void Dispose()
    {
        using var domain = connection.TryLookupDomainByUuid(Uuid);
        if (domain is null)
        {
            return;
        }
        if (domain.GetState().State is not DomainState.Shutoff)
        {
            try { domain.Destroy(); } catch (LibvirtOperationInvalidException) { }
        }
        try { domain.Undefine(); } catch (LibvirtException) { }
    }
}
