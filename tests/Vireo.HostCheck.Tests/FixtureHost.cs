using System.Globalization;
using Vireo.Libvirt;

namespace Vireo.HostCheck.Tests;

/// <summary>
/// A fixture host: Fixtures/NAME/tree is laid out like "/" and read by the real adapter
/// (<see cref="HostFileReader"/>); devices.txt gives the nodes git cannot keep; libvirt/ holds
/// what libvirt answers (absent: it does not answer); probe-TYPE.txt the probe outcomes.
/// </summary>
internal static class FixtureHost
{
    public static readonly IReadOnlyList<string> StandardPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    public static string Directory(string name) => Path.Combine(RepositoryPaths.TestProject, "Fixtures", name);

    public static IReadOnlyList<string> All =>
        [.. System.IO.Directory.EnumerateDirectories(Path.Combine(RepositoryPaths.TestProject, "Fixtures")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static HostFacts Load(string name, HostCheckConfig config)
    {
        var directory = Directory(name);
        var tree = new FixtureFileTree(directory);
        var files = HostFileReader.Read(tree, config.ConnectionUri);
        var libvirtDirectory = Path.Combine(directory, "libvirt");
        var libvirt = File.Exists(Path.Combine(libvirtDirectory, "versions.txt"))
            ? LibvirtFactsReader.Read(new FixtureLibvirt(libvirtDirectory, config.ConnectionUri), config)
            : LibvirtFacts.Unreachable(config.ConnectionUri,
                File.Exists(Path.Combine(libvirtDirectory, "error.txt"))
                    ? File.ReadAllText(Path.Combine(libvirtDirectory, "error.txt")).Trim()
                    : "cannot connect to libvirt at qemu:///system: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory");
        var probes = new Dictionary<string, ProbeResult>(StringComparer.Ordinal);
        foreach (var virtType in new[] { "kvm", "qemu" })
        {
            var file = Path.Combine(directory, $"probe-{virtType}.txt");
            if (File.Exists(file))
            {
                probes[virtType] = ParseProbe(virtType, File.ReadAllText(file));
            }
        }

        return new HostFacts
        {
            Kernel = files.Kernel,
            Qemu = files.Qemu,
            CpuModelFeatures = files.CpuModelFeatures,
            Libvirt = libvirt,
            Storage = new StorageFacts
            {
                QemuImg = HostFileReader.FindProgram(tree, "qemu-img", StandardPath),
                InstancesPath = new DirectoryFacts(config.InstancesPath, Exists: true, Writable: true, DirectIo: true),
            },
            Probes = probes,
        };
    }

    /// <summary>"key: value" lines, then "serial:" and the guest's output verbatim.</summary>
    private static ProbeResult ParseProbe(string virtType, string text)
    {
        var marker = text.IndexOf("serial:\n", StringComparison.Ordinal);
        var header = marker < 0 ? text : text[..marker];
        var serial = marker < 0 ? "" : text[(marker + "serial:\n".Length)..];
        var fields = header.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
        var outcome = fields["outcome"] switch
        {
            "passed" => ProbeOutcome.Passed,
            "timed-out" => ProbeOutcome.TimedOut,
            "stopped" => ProbeOutcome.Stopped,
            "start-failed" => ProbeOutcome.StartFailed,
            "not-run" => ProbeOutcome.NotRun,
            var other => throw new InvalidDataException($"unknown probe outcome {other}"),
        };
        return new ProbeResult(
            virtType,
            outcome,
            TimeSpan.FromSeconds(double.Parse(fields["elapsed"], CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(fields["deadline"], CultureInfo.InvariantCulture)),
            serial,
            fields.GetValueOrDefault("error"),
            fields.GetValueOrDefault("log"));
    }

    /// <summary>The fixture's tree/ directory, with stat answered from devices.txt for the nodes listed there.</summary>
    private sealed class FixtureFileTree(string directory) : IHostFileTree
    {
        private readonly RootedFileTree files = new(Path.Combine(directory, "tree"));
        private readonly Dictionary<string, FileStat> nodes = ReadDevices(Path.Combine(directory, "devices.txt"));

        public string? ReadText(string path) => files.ReadText(path);

        public bool FileExists(string path) => nodes.ContainsKey(path) || files.FileExists(path);

        public bool DirectoryExists(string path) => files.DirectoryExists(path);

        public IReadOnlyList<string> List(string path) => files.List(path);

        public FileStat? Stat(string path) =>
            nodes.TryGetValue(path, out var node) ? node : files.FileExists(path) ? new FileStat(NodeKind.Other, 0, 0, 0b110_100_100) : null;

        private static Dictionary<string, FileStat> ReadDevices(string file)
        {
            var nodes = new Dictionary<string, FileStat>(StringComparer.Ordinal);
            if (!File.Exists(file))
            {
                return nodes;
            }

            foreach (var line in File.ReadAllLines(file).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                nodes[f[0]] = new FileStat(
                    f[1] == "c" ? NodeKind.CharacterDevice : NodeKind.Other,
                    int.Parse(f[2], CultureInfo.InvariantCulture),
                    int.Parse(f[3], CultureInfo.InvariantCulture),
                    Convert.ToInt32(f[4], 8));
            }

            return nodes;
        }
    }

    /// <summary>libvirt's answers from files; a domcapabilities-TYPE.error file is libvirt refusing that type.</summary>
    private sealed class FixtureLibvirt(string directory, string uri) : ILibvirtAnswers
    {
        public string Uri => uri;

        public LibvirtVersion LibraryVersion() => Version("libvirt");

        public LibvirtVersion HypervisorVersion() => Version("qemu");

        public string Capabilities() => File.ReadAllText(Path.Combine(directory, "capabilities.xml"));

        public string DomainCapabilities(string virtType, string arch)
        {
            var file = Path.Combine(directory, $"domcapabilities-{virtType}.xml");
            if (File.Exists(file))
            {
                return File.ReadAllText(file);
            }

            var error = Path.Combine(directory, $"domcapabilities-{virtType}.error");
            throw new LibvirtException(LibvirtErrorCode.ConfigUnsupported, LibvirtErrorDomain.Qemu,
                File.Exists(error) ? File.ReadAllText(error).Trim() : $"no domain capabilities for {virtType} in this fixture");
        }

        public CpuCompareResult CompareHypervisorCpu(string cpuXml, string virtType, string arch) =>
            throw new LibvirtNotSupportedException(LibvirtErrorCode.NoSupport, LibvirtErrorDomain.None,
                "this function is not supported by the connection driver: virConnectCompareHypervisorCPU (fixture)");

        private LibvirtVersion Version(string what)
        {
            var line = File.ReadAllLines(Path.Combine(directory, "versions.txt")).Single(l => l.StartsWith(what + " ", StringComparison.Ordinal));
            var parts = line[(what.Length + 1)..].Trim().Split('.').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return new LibvirtVersion(parts[0], parts[1], parts[2]);
        }
    }
}
