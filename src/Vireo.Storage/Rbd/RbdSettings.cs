namespace Vireo.Storage.Rbd;

/// <summary>
/// How the storage layer reaches one RBD pool with the <c>rbd</c> tool: the cluster's ceph.conf
/// (Nova's <c>[libvirt] images_rbd_ceph_conf</c>), the pool (<c>images_rbd_pool</c>) and the cephx
/// user (<c>rbd_user</c>, without the <c>client.</c> prefix), with its key in a keyring or a key
/// file. Only paths are ever put on a command line, never a key.
/// </summary>
/// <param name="CephConf">Absolute path of ceph.conf (monitors, and the keyring unless one is given here).</param>
/// <param name="Pool">The pool every image lives in.</param>
/// <param name="User">The cephx id, e.g. <c>vireo</c> for <c>client.vireo</c>.</param>
public sealed record RbdSettings(string CephConf, string Pool, string User)
{
    /// <summary>A keyring holding <c>client.&lt;User&gt;</c> (<c>--keyring</c>); null: ceph.conf says where it is.</summary>
    public string? Keyring { get; init; }

    /// <summary>A file holding the bare key (<c>--keyfile</c>); used when <see cref="Keyring"/> is null.</summary>
    public string? KeyFile { get; init; }

    /// <summary>The rbd executable (Debian's ceph-common): a name looked up in <see cref="Executables.SearchPath"/>, or an absolute path.</summary>
    public string RbdPath { get; init; } = "rbd";

    /// <summary>util-linux's prlimit, which runs every child process under its limits.</summary>
    public string PrlimitPath { get; init; } = "prlimit";

    /// <summary>CPU and address space of one rbd call (librados maps little but starts many threads).</summary>
    public ProcessLimits Limits { get; init; } = new(CpuSeconds: 120, AddressSpaceBytes: 4L << 30);

    /// <summary>How long one metadata call (snapshot, clone, info, du, ...) may take before it is killed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long an import (a whole image's bytes) may take before it is killed.</summary>
    public TimeSpan ImportTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>CPU seconds of an import.</summary>
    public int ImportCpuSeconds { get; init; } = 4 * 3600;
}
