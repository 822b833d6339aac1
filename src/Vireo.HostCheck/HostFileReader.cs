using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Vireo.HostCheck;

/// <summary>The facts a tree laid out like "/" gives: CPU, kernel modules, device nodes, QEMU's identity, libvirt's CPU map.</summary>
public sealed record HostFileFacts(KernelFacts Kernel, QemuProcessFacts Qemu, IReadOnlyDictionary<string, IReadOnlySet<string>> CpuModelFeatures);

/// <summary>
/// The one adapter that reads host files for readiness (habit 3: facts at the edge, decisions pure).
/// It only reads: /proc/cpuinfo, /proc/sys/kernel/arch, /sys/module/*, /dev nodes, /run/udev,
/// /etc/libvirt/qemu.conf, /etc/passwd, /etc/group, /proc/self/status and /usr/share/libvirt/cpu_map.
/// </summary>
public static class HostFileReader
{
    /// <summary>The modules the checks look at (the seed's lsmod | grep kvm, plus vhost_net, tun, device-mapper).</summary>
    public static readonly IReadOnlyList<string> InterestingModules =
        ["kvm", "kvm_intel", "kvm_amd", "kvm_hv", "kvm_pr", "kvm_pvm", "vhost_net", "tun", "dm_mod"];

    public static HostFileFacts Read(IHostFileTree tree, string connectionUri)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(connectionUri);
        var accounts = Accounts.Read(tree);
        var kernel = new KernelFacts
        {
            Cpu = CpuInfoReader.Read(tree),
            Modules = ReadModules(tree),
            Kvm = Node(tree, accounts, "/dev/kvm"),
            VhostNet = Node(tree, accounts, "/dev/vhost-net"),
            Tun = Node(tree, accounts, "/dev/net/tun"),
            MapperControl = Node(tree, accounts, "/dev/mapper/control"),
            UdevRunning = tree.Stat("/run/udev/control") is not null,
        };
        return new HostFileFacts(kernel, ReadQemu(tree, accounts, connectionUri), ReadCpuMap(tree));
    }

    /// <summary>The first of <paramref name="directories"/> holding <paramref name="program"/>, as a host path.</summary>
    public static string? FindProgram(IHostFileTree tree, string program, IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(directories);
        return directories.Select(d => d.TrimEnd('/') + "/" + program).FirstOrDefault(tree.FileExists);
    }

    private static Dictionary<string, KernelModule> ReadModules(IHostFileTree tree)
    {
        var modules = new Dictionary<string, KernelModule>(StringComparer.Ordinal);
        foreach (var name in InterestingModules)
        {
            var directory = "/sys/module/" + name;
            if (!tree.DirectoryExists(directory))
            {
                continue;
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var parameter in tree.List(directory + "/parameters"))
            {
                if (tree.ReadText($"{directory}/parameters/{parameter}") is { } value)
                {
                    parameters[parameter] = value.Trim();
                }
            }

            modules[name] = new KernelModule(name, parameters);
        }

        return modules;
    }

    private static DeviceNode? Node(IHostFileTree tree, Accounts accounts, string path) =>
        tree.Stat(path) is { } stat
            ? new DeviceNode(path, stat.Kind, stat.Uid, stat.Gid, accounts.UserName(stat.Uid), accounts.GroupName(stat.Gid), stat.Mode)
            : null;

    private static QemuProcessFacts ReadQemu(IHostFileTree tree, Accounts accounts, string connectionUri)
    {
        var lsms = new List<string>();
        if (tree.DirectoryExists("/sys/kernel/security/apparmor"))
        {
            lsms.Add("apparmor");
        }

        if (tree.FileExists("/sys/fs/selinux/enforce"))
        {
            lsms.Add("selinux");
        }

        if (connectionUri.Contains("/session", StringComparison.Ordinal))
        {
            // qemu:///session runs QEMU as the connecting user, with the groups of this login.
            var status = ParseStatus(tree.ReadText("/proc/self/status"));
            var uid = status.Uid ?? 0;
            var user = accounts.UserName(uid);
            return new QemuProcessFacts(user, uid, accounts.GroupName(status.Gid ?? 0), accounts.GroupsOf(user), "this login session",
                SecurityDriver: null, lsms, [.. status.Groups.Select(accounts.GroupName)]);
        }

        var conf = QemuConf.Parse(tree.ReadText("/etc/libvirt/qemu.conf"));
        string configuredUser;
        string configuredGroup;
        string source;
        if (conf.TryGetValue("user", out var u))
        {
            configuredUser = u;
            configuredGroup = conf.GetValueOrDefault("group") ?? u;
            source = "/etc/libvirt/qemu.conf";
        }
        else
        {
            // libvirt's build-time default: Debian builds with libvirt-qemu (in group kvm), Fedora with qemu, upstream root.
            configuredUser = accounts.HasUser("libvirt-qemu") ? "libvirt-qemu" : accounts.HasUser("qemu") ? "qemu" : "root";
            configuredGroup = conf.GetValueOrDefault("group") ?? configuredUser;
            source = "libvirt's default: /etc/libvirt/qemu.conf sets no user";
        }

        var resolvedUser = accounts.Resolve(configuredUser, isGroup: false);
        var resolvedGroup = accounts.Resolve(configuredGroup, isGroup: true);
        var groups = accounts.GroupsOf(resolvedUser).Append(resolvedGroup).Distinct(StringComparer.Ordinal).ToList();
        return new QemuProcessFacts(resolvedUser, accounts.Uid(resolvedUser), resolvedGroup, groups, source,
            conf.GetValueOrDefault("security_driver"), lsms);
    }

    private static (int? Uid, int? Gid, IReadOnlyList<int> Groups) ParseStatus(string? status)
    {
        int? uid = null, gid = null;
        IReadOnlyList<int> groups = [];
        foreach (var line in (status ?? "").Split('\n'))
        {
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            switch (parts[0])
            {
                case "Uid:" when parts.Length > 1:
                    uid = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "Gid:" when parts.Length > 1:
                    gid = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "Groups:":
                    groups = [.. parts.Skip(1).Select(g => int.Parse(g, CultureInfo.InvariantCulture))];
                    break;
            }
        }

        return (uid, gid, groups);
    }

    private static Dictionary<string, IReadOnlySet<string>> ReadCpuMap(IHostFileTree tree)
    {
        const string directory = "/usr/share/libvirt/cpu_map";
        var parents = new Dictionary<string, string>(StringComparer.Ordinal);
        var own = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in tree.List(directory).Where(f => f.EndsWith(".xml", StringComparison.Ordinal)))
        {
            XElement root;
            try
            {
                root = XElement.Parse(tree.ReadText($"{directory}/{file}") ?? "<cpus/>");
            }
            catch (XmlException)
            {
                continue;
            }

            foreach (var model in root.Elements("model"))
            {
                if (model.Attribute("name")?.Value is not { } name)
                {
                    continue;
                }

                own[name] = model.Elements("feature").Select(f => f.Attribute("name")?.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
                if (model.Element("model")?.Attribute("name")?.Value is { } parent)
                {
                    parents[name] = parent;
                }
            }
        }

        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var name in own.Keys)
        {
            var features = new HashSet<string>(StringComparer.Ordinal);
            // Older cpu_map files derive a model from another (<model name='parent'/> inside the model).
            for (var (current, depth) = (name, 0); current is not null && depth < 16; depth++)
            {
                if (own.TryGetValue(current, out var f))
                {
                    features.UnionWith(f);
                }

                current = parents.GetValueOrDefault(current)!;
            }

            result[name] = features;
        }

        return result;
    }

    /// <summary>/etc/passwd and /etc/group of the tree.</summary>
    private sealed class Accounts
    {
        private readonly Dictionary<string, (int Uid, int Gid)> users = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int Gid, string[] Members)> groups = new(StringComparer.Ordinal);

        public static Accounts Read(IHostFileTree tree)
        {
            var accounts = new Accounts();
            foreach (var fields in Lines(tree.ReadText("/etc/passwd")))
            {
                if (fields.Length >= 4 && int.TryParse(fields[2], CultureInfo.InvariantCulture, out var uid) && int.TryParse(fields[3], CultureInfo.InvariantCulture, out var gid))
                {
                    accounts.users.TryAdd(fields[0], (uid, gid));
                }
            }

            foreach (var fields in Lines(tree.ReadText("/etc/group")))
            {
                if (fields.Length >= 3 && int.TryParse(fields[2], CultureInfo.InvariantCulture, out var gid))
                {
                    var members = fields.Length > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
                    accounts.groups.TryAdd(fields[0], (gid, members));
                }
            }

            return accounts;
        }

        private static IEnumerable<string[]> Lines(string? text) =>
            (text ?? "").Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':'));

        public bool HasUser(string name) => users.ContainsKey(name);

        public int? Uid(string user) => users.TryGetValue(user, out var u) ? u.Uid : user == "root" ? 0 : null;

        public string UserName(int uid) => users.FirstOrDefault(u => u.Value.Uid == uid).Key ?? (uid == 0 ? "root" : uid.ToString(CultureInfo.InvariantCulture));

        public string GroupName(int gid) => groups.FirstOrDefault(g => g.Value.Gid == gid).Key ?? (gid == 0 ? "root" : gid.ToString(CultureInfo.InvariantCulture));

        /// <summary>qemu.conf accepts a name or "+N" for a numeric id.</summary>
        public string Resolve(string value, bool isGroup) =>
            value.StartsWith('+') && int.TryParse(value[1..], CultureInfo.InvariantCulture, out var id)
                ? isGroup ? GroupName(id) : UserName(id)
                : value;

        public IReadOnlyList<string> GroupsOf(string user)
        {
            var result = new List<string>();
            if (users.TryGetValue(user, out var u))
            {
                result.Add(GroupName(u.Gid));
            }

            result.AddRange(groups.Where(g => g.Value.Members.Contains(user, StringComparer.Ordinal)).Select(g => g.Key).Order(StringComparer.Ordinal));
            return [.. result.Distinct(StringComparer.Ordinal)];
        }
    }

    /// <summary>The <c>key = "value"</c> lines of qemu.conf (lists keep their first string: security_driver = [ "selinux" ]).</summary>
    internal static class QemuConf
    {
        public static Dictionary<string, string> Parse(string? text)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var raw in (text ?? "").Split('\n'))
            {
                var line = raw.Trim();
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (line.StartsWith('#') || eq <= 0)
                {
                    continue;
                }

                var value = line[(eq + 1)..].Trim().TrimStart('[').Trim();
                if (value.StartsWith('"'))
                {
                    var end = value.IndexOf('"', 1);
                    value = end > 0 ? value[1..end] : value[1..];
                }

                values[line[..eq].Trim()] = value;
            }

            return values;
        }
    }
}
