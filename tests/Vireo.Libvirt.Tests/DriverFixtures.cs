using System.Globalization;

namespace Vireo.Libvirt.Tests;

/// <summary>One libvirt driver the contract suite runs against, with what that driver is known to implement.</summary>
public abstract class DriverFixture : IDisposable
{
    protected DriverFixture(string uri)
    {
        Uri = uri;
        try
        {
            Connection = Connection.Open(uri);
        }
        catch (LibvirtException e)
        {
            throw new InvalidOperationException($"cannot open {uri} ({e.Message}); run scripts/setup-host first", e);
        }
    }

    public string Uri { get; }

    public Connection Connection { get; }

    /// <summary>test:///default implements neither domain capabilities nor the hypervisor CPU calls nor the agent.</summary>
    public abstract bool IsRealHypervisor { get; }

    public abstract string DomainXml(string name, Guid uuid);

    public static string UniqueName(string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"vireo-test-{prefix}-{Guid.NewGuid():N}")[..40];

    public void Dispose()
    {
        Connection.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class TestDriverFixture() : DriverFixture("test:///default")
{
    public override bool IsRealHypervisor => false;

    public override string DomainXml(string name, Guid uuid) => $"""
        <domain type='test'>
          <name>{name}</name>
          <uuid>{uuid}</uuid>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <os><type arch='x86_64'>hvm</type></os>
        </domain>
        """;
}

/// <summary>The real libvirtd started by scripts/setup-host; guests are diskless TCG guests that sit in the BIOS.</summary>
public sealed class QemuSystemFixture() : DriverFixture("qemu:///system")
{
    public override bool IsRealHypervisor => true;

    public override string DomainXml(string name, Guid uuid) => $"""
        <domain type='qemu'>
          <name>{name}</name>
          <uuid>{uuid}</uuid>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <os><type arch='x86_64' machine='pc'>hvm</type></os>
          <features><acpi/></features>
          <devices><memballoon model='none'/></devices>
        </domain>
        """;
}
