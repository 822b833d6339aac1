using Vireo.Libvirt.Interop;

namespace Vireo.Libvirt;

/// <summary>
/// One reference to a libvirt secret (virSecretPtr, libvirt-secret.h): what a guest disk's
/// <c>&lt;auth&gt;&lt;secret uuid=...&gt;</c> names, e.g. a Ceph client key. Dispose releases the
/// reference, not the secret. The value is write-only here: it is never read back or printed.
/// </summary>
public sealed class Secret : IDisposable
{
    private readonly SecretHandle handle;

    internal Secret(SecretHandle handle)
    {
        this.handle = handle;
        Uuid = ReadUuid(handle);
    }

    public Guid Uuid { get; }

    /// <summary>The usage id (for usage type ceph: the name in &lt;usage&gt;&lt;name&gt;).</summary>
    public string UsageId => Checked.BorrowedString(NativeMethods.virSecretGetUsageID(handle), "virSecretGetUsageID");

    /// <summary>Sets the secret's value (virSecretSetValue): the raw bytes, e.g. a Ceph key's base64 text decoded.</summary>
    public unsafe void SetValue(ReadOnlySpan<byte> value)
    {
        fixed (byte* bytes = value)
        {
            Checked.Int(NativeMethods.virSecretSetValue(handle, bytes, (nuint)value.Length, 0), "virSecretSetValue");
        }
    }

    /// <summary>Removes the secret from the daemon (virSecretUndefine).</summary>
    public void Undefine() => Checked.Int(NativeMethods.virSecretUndefine(handle), "virSecretUndefine");

    public void Dispose() => handle.Dispose();

    private static unsafe Guid ReadUuid(SecretHandle handle)
    {
        var buffer = stackalloc byte[37];
        Checked.Int(NativeMethods.virSecretGetUUIDString(handle, buffer), "virSecretGetUUIDString");
        return Guid.Parse(new ReadOnlySpan<byte>(buffer, 36));
    }
}
