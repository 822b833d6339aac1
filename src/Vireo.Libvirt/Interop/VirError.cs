using System.Runtime.InteropServices;

namespace Vireo.Libvirt.Interop;

/// <summary>Mirror of <c>struct _virError</c> (virterror.h); read-only, never freed by us.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirError
{
    public int code;
    public int domain;
    public nint message;
    public int level;
    public nint conn;
    public nint dom;
    public nint str1;
    public nint str2;
    public nint str3;
    public int int1;
    public int int2;
    public nint net;
}
