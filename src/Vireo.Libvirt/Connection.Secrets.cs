using Vireo.Libvirt.Interop;

namespace Vireo.Libvirt;

public sealed partial class Connection
{
    /// <summary>Defines (or redefines, same UUID or usage) a secret from its XML (virSecretDefineXML); the value is set separately.</summary>
    public Secret DefineSecret(string xml) =>
        new(new SecretHandle(Checked.Ptr(NativeMethods.virSecretDefineXML(handle, xml, 0), "virSecretDefineXML")));

    /// <summary>The secret with this UUID; <see cref="LibvirtNotFoundException"/> when the daemon has none.</summary>
    public Secret LookupSecretByUuid(Guid uuid) =>
        new(new SecretHandle(Checked.Ptr(NativeMethods.virSecretLookupByUUIDString(handle, uuid.ToString("D")), "virSecretLookupByUUIDString")));
}
