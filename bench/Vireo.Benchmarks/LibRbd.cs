using System.Runtime.InteropServices;

namespace Vireo.Benchmarks;

/// <summary>
/// A minimal librados/librbd binding (librados.h, librbd.h of Debian's librados2/librbd1), only
/// to measure what one clone costs without a process per call; the product's RBD client runs the
/// rbd tool. One cluster connection and one pool context, opened once.
/// </summary>
internal static partial class LibRbdNative
{
    private const string Rados = "librados.so.2";
    private const string Rbd = "librbd.so.1";

    [LibraryImport(Rados, StringMarshalling = StringMarshalling.Utf8)] internal static partial int rados_create(out nint cluster, string id);
    [LibraryImport(Rados, StringMarshalling = StringMarshalling.Utf8)] internal static partial int rados_conf_read_file(nint cluster, string path);
    [LibraryImport(Rados, StringMarshalling = StringMarshalling.Utf8)] internal static partial int rados_conf_set(nint cluster, string option, string value);
    [LibraryImport(Rados)] internal static partial int rados_connect(nint cluster);
    [LibraryImport(Rados)] internal static partial void rados_shutdown(nint cluster);
    [LibraryImport(Rados, StringMarshalling = StringMarshalling.Utf8)] internal static partial int rados_ioctx_create(nint cluster, string pool, out nint ioctx);
    [LibraryImport(Rados)] internal static partial void rados_ioctx_destroy(nint ioctx);
    [LibraryImport(Rbd)] internal static partial void rbd_image_options_create(out nint opts);
    [LibraryImport(Rbd)] internal static partial void rbd_image_options_destroy(nint opts);
    [LibraryImport(Rbd, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rbd_clone3(nint pIoctx, string pName, string pSnapName, nint cIoctx, string cName, nint opts);
    [LibraryImport(Rbd, StringMarshalling = StringMarshalling.Utf8)] internal static partial int rbd_remove(nint ioctx, string name);
}

internal sealed class LibRbdPool : IDisposable
{
    private readonly nint _cluster;
    private readonly nint _ioctx;

    public LibRbdPool(string conf, string user, string keyring, string pool)
    {
        Check(LibRbdNative.rados_create(out _cluster, user), "rados_create");
        Check(LibRbdNative.rados_conf_read_file(_cluster, conf), "rados_conf_read_file");
        Check(LibRbdNative.rados_conf_set(_cluster, "keyring", keyring), "rados_conf_set keyring");
        Check(LibRbdNative.rados_connect(_cluster), "rados_connect");
        Check(LibRbdNative.rados_ioctx_create(_cluster, pool, out _ioctx), "rados_ioctx_create");
    }

    /// <summary>rbd_clone3 with default image options (the same features the rbd tool gives a clone).</summary>
    public void Clone(string parent, string snapshot, string clone)
    {
        LibRbdNative.rbd_image_options_create(out var options);
        try
        {
            Check(LibRbdNative.rbd_clone3(_ioctx, parent, snapshot, _ioctx, clone, options), "rbd_clone3");
        }
        finally
        {
            LibRbdNative.rbd_image_options_destroy(options);
        }
    }

    public void Remove(string image) => Check(LibRbdNative.rbd_remove(_ioctx, image), "rbd_remove");

    public void Dispose()
    {
        LibRbdNative.rados_ioctx_destroy(_ioctx);
        LibRbdNative.rados_shutdown(_cluster);
    }

    private static void Check(int rc, string call)
    {
        if (rc < 0)
        {
            throw new InvalidOperationException($"{call} failed: errno {-rc}");
        }
    }
}
