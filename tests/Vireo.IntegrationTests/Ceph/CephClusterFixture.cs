using System.Diagnostics;
using Vireo.Libvirt;
using Vireo.Storage.Rbd;

namespace Vireo.IntegrationTests.Ceph;

/// <summary>
/// A real single-node Ceph on loopback with cephx on (scripts/ceph-test-cluster), started once for
/// the RBD tests and always stopped, and the libvirt secret holding client.vireo's key, always
/// undefined. Nothing is skipped: when the cluster cannot start the tests fail with the script's error.
/// </summary>
public sealed class CephClusterFixture : IDisposable
{
    private static readonly string Script = Path.Combine(TestImage.RepositoryRoot, "scripts", "ceph-test-cluster");
    private readonly Secret? _secret;

    public CephClusterFixture()
    {
        var clock = Stopwatch.StartNew();
        var started = Processes.Run(Script, ["start", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(10));
        ClusterDirectory = started.StandardOutput.TrimEnd().Split('\n')[^1].Trim();
        StartTime = clock.Elapsed;
        try
        {
            var env = Processes.Run(Script, ["env", ClusterDirectory], TimeSpan.FromSeconds(30)).StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
            CephConf = env["CEPH_CONF"];
            Pool = env["VIREO_CEPH_POOL"];
            User = env["VIREO_CEPH_USER"];
            Keyring = env["VIREO_CEPH_KEYRING"];
            KeyFile = env["VIREO_CEPH_KEYFILE"];
            MonitorHost = env["VIREO_CEPH_MON_HOST"];
            MonitorPort = int.Parse(env["VIREO_CEPH_MON_PORT"], System.Globalization.CultureInfo.InvariantCulture);

            Libvirt = Connection.Open("qemu:///system");
            SecretUuid = Guid.NewGuid();
            _secret = Libvirt.DefineSecret($"""
                <secret ephemeral='no' private='yes'>
                  <uuid>{SecretUuid:D}</uuid>
                  <usage type='ceph'><name>client.{User} secret {SecretUuid:N}</name></usage>
                </secret>
                """);
            // The key file holds the base64 text of the key; libvirt's value is the decoded bytes (virsh secret-set-value --base64).
            _secret.SetValue(Convert.FromBase64String(File.ReadAllText(KeyFile).Trim()));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string ClusterDirectory { get; }

    public TimeSpan StartTime { get; }

    public string CephConf { get; } = "";

    public string Pool { get; } = "";

    public string User { get; } = "";

    public string Keyring { get; } = "";

    public string KeyFile { get; } = "";

    public string MonitorHost { get; } = "";

    public int MonitorPort { get; }

    public Guid SecretUuid { get; }

    public Connection? Libvirt { get; }

    /// <summary>The <c>[libvirt]</c> options of images_type = rbd on this cluster, one per line, for a service's configuration.</summary>
    public string RbdOptions => $"""
        images_type = rbd
        images_rbd_pool = {Pool}
        images_rbd_ceph_conf = {CephConf}
        rbd_user = {User}
        rbd_secret_uuid = {SecretUuid}
        """;

    public RbdClient Client(bool useKeyFile = false) => new(new RbdSettings(CephConf, Pool, User)
    {
        Keyring = useKeyFile ? null : Keyring,
        KeyFile = useKeyFile ? KeyFile : null,
    });

    /// <summary>A name no other test (or earlier run) uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public void Dispose()
    {
        try
        {
            _secret?.Undefine();
            _secret?.Dispose();
            Libvirt?.Dispose();
        }
        finally
        {
            Processes.Run(Script, ["stop", ClusterDirectory], TimeSpan.FromMinutes(2));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CephCollection : ICollectionFixture<CephClusterFixture>
{
    public const string Name = "ceph";
}
