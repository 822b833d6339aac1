using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>
/// The CPU facts of the libvirt daemon the driver is connected to: the model names it knows for an
/// architecture (Nova's host.get_cpu_model_names) and the features of a named model as it expands
/// them. Every read goes through the <see cref="LibvirtConnectionManager"/> (its bulkhead and
/// deadlines apply) and is kept for the life of that connection only: a reconnect may reach another
/// libvirtd, of another version or on another host, so its facts are read again. Nothing here reads
/// a CPU map on this machine.
/// </summary>
public sealed partial class DaemonCpuFacts
{
    private readonly LibvirtConnectionManager connections;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private ConnectionLease? cachedFor;
    private Dictionary<string, CpuModelNames> names = new(StringComparer.Ordinal);
    private Dictionary<(string VirtType, string Arch, string Model), CpuModelFeatures?> features = [];

    public DaemonCpuFacts(LibvirtConnectionManager connections, ILogger? logger = null)
    {
        this.connections = connections ?? throw new ArgumentNullException(nameof(connections));
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The model names for <paramref name="arch"/> of the daemon connected now.</summary>
    /// <exception cref="Core.VireoException">Unavailable when libvirt cannot be reached; Failed when it refuses (an architecture it does not know).</exception>
    public Task<CpuModelNames> ModelNamesAsync(string arch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(arch);
        return connections.RunOnLeaseAsync($"list the CPU models for {arch}", lease => ModelNames(lease, arch), cancellationToken);
    }

    /// <summary>The features of <paramref name="model"/> as the daemon connected now expands it; null when it cannot (a model it does not know).</summary>
    public Task<CpuModelFeatures?> ModelFeaturesAsync(string virtType, string arch, string model, CancellationToken cancellationToken) =>
        connections.RunOnLeaseAsync($"expand the features of CPU model {model}", lease => ModelFeatures(lease, virtType, arch, model), cancellationToken);

    /// <summary>Inside a call already running on <paramref name="lease"/>.</summary>
    internal CpuModelNames ModelNames(ConnectionLease lease, string arch)
    {
        lock (gate)
        {
            if (CacheOf(lease).TryGetValue(arch, out var known))
            {
                return known;
            }
        }

        var read = new CpuModelNames(arch, lease.Connection.GetCpuModelNames(arch), $"libvirt at {connections.Uri}");
        LogModelNamesRead(logger, read.Names.Count, arch, connections.Uri, lease.Generation);
        lock (gate)
        {
            if (ReferenceEquals(cachedFor, lease))
            {
                names[arch] = read;
            }
        }

        return read;
    }

    /// <summary>Inside a call already running on <paramref name="lease"/>.</summary>
    internal CpuModelFeatures? ModelFeatures(ConnectionLease lease, string virtType, string arch, string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(virtType);
        ArgumentException.ThrowIfNullOrWhiteSpace(arch);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var key = (virtType, arch, model);
        lock (gate)
        {
            CacheOf(lease);
            if (features.TryGetValue(key, out var known))
            {
                return known;
            }
        }

        var read = Expand(lease.Connection, virtType, arch, model);
        lock (gate)
        {
            if (ReferenceEquals(cachedFor, lease))
            {
                features[key] = read;
            }
        }

        return read;
    }

    /// <summary>The names cached for this lease; a new lease (a reconnect) starts empty.</summary>
    private Dictionary<string, CpuModelNames> CacheOf(ConnectionLease lease)
    {
        if (!ReferenceEquals(cachedFor, lease))
        {
            cachedFor = lease;
            names = new(StringComparer.Ordinal);
            features = [];
        }

        return names;
    }

    private CpuModelFeatures? Expand(Connection connection, string virtType, string arch, string model)
    {
        var cpu = new XElement("cpu", new XAttribute("mode", "custom"), new XAttribute("match", "exact"), new XElement("model", model)).ToString(SaveOptions.DisableFormatting);
        string expanded;
        try
        {
            expanded = connection.BaselineHypervisorCpu([cpu], virtType, arch, flags: CpuBaselineFlags.ExpandFeatures);
        }
        catch (LibvirtException e) when (e is not LibvirtConnectionException)
        {
            // A model this daemon does not know (or a driver without the call): its features are unknown, which the reader says.
            LogModelNotExpanded(logger, model, virtType, arch, connections.Uri, e.Message);
            return null;
        }

        try
        {
            var root = XElement.Parse(expanded);
            if (!string.Equals((string?)root.Element("model"), model, StringComparison.Ordinal))
            {
                // libvirt chose another model to run this one: the features are not this model's.
                LogModelNotExpanded(logger, model, virtType, arch, connections.Uri, $"libvirt answered with model '{(string?)root.Element("model")}'");
                return null;
            }

            return new CpuModelFeatures(
                model,
                root.Elements("feature").Select(f => (string?)f.Attribute("name")).OfType<string>().ToHashSet(StringComparer.Ordinal),
                $"libvirt at {connections.Uri}");
        }
        catch (XmlException e)
        {
            LogModelNotExpanded(logger, model, virtType, arch, connections.Uri, $"libvirt's answer is not well-formed ({e.Message})");
            return null;
        }
    }

    [LoggerMessage(EventId = 2600, EventName = "CpuModelNamesRead", Level = LogLevel.Debug,
        Message = "read {Count} CPU model names for {Arch} from libvirt at {Uri} (connection {Generation})")]
    private static partial void LogModelNamesRead(ILogger logger, int count, string arch, string uri, long generation);

    [LoggerMessage(EventId = 2601, EventName = "CpuModelNotExpanded", Level = LogLevel.Debug,
        Message = "libvirt at {Uri} did not expand CPU model {Model} for {VirtType}/{Arch}, so its own features are unknown: {Reason}")]
    private static partial void LogModelNotExpanded(ILogger logger, string model, string virtType, string arch, string uri, string reason);
}
