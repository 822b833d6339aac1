using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;
using Vireo.Core.Ports;
using Vireo.DomainXml;
using Vireo.Libvirt;

namespace Vireo.Virt;

/// <summary>
/// <see cref="IHypervisor"/> over libvirt. A guest is its instance's domain, found by uuid, and is
/// this installation's only when the domain's Vireo metadata carries <see cref="HypervisorSettings.InstallationId"/>:
/// any other domain, even one with the same uuid, is reported as absent and never changed.
/// Concerns live in partial files: power operations, events, guest agent.
/// </summary>
public sealed partial class LibvirtHypervisor : IHypervisor, IAsyncDisposable
{
    private readonly HypervisorSettings settings;
    private readonly LibvirtConnectionManager connections;
    private readonly DaemonCpuFacts cpuFacts;
    private readonly bool ownsConnections;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource disposing = new();

    /// <summary>
    /// uuids known to be this installation's. Events of undefined domains can no longer be checked
    /// against libvirt, so ownership is remembered from define, lookups and listings.
    /// </summary>
    private readonly ConcurrentDictionary<Guid, bool> owned = new();

    /// <param name="logger">Where connection decisions (open, reconnect, timeout, bulkhead full) and dropped events are logged.</param>
    public LibvirtHypervisor(HypervisorSettings settings, TimeProvider? timeProvider = null, ILogger? logger = null, LibvirtLimits? limits = null)
        : this(settings, new LibvirtConnectionManager(Validated(settings).ConnectionUri, timeProvider: timeProvider, limits: limits, logger: logger), timeProvider, logger)
    {
        ownsConnections = true;
    }

    /// <summary>Shares a connection manager (other drivers on the same host); the caller disposes it.</summary>
    public LibvirtHypervisor(HypervisorSettings settings, LibvirtConnectionManager connections, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        this.settings = Validated(settings);
        this.connections = connections ?? throw new ArgumentNullException(nameof(connections));
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        cpuFacts = new DaemonCpuFacts(this.connections, this.logger);
    }

    public HypervisorSettings Settings => settings;

    /// <summary>Where guest definitions and CPU reports get libvirt's CPU model names and features: the daemon connected now.</summary>
    public DaemonCpuFacts CpuFacts => cpuFacts;

    public LibvirtConnectionManager Connections => connections;

    public async Task DefineGuestAsync(GuestSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // Nova maps cpu_models to the spellings of the libvirt it is connected to (host.get_cpu_model_names).
        var modelNames = GuestCpuPolicy.NeedsModelNames(settings)
            ? await cpuFacts.ModelNamesAsync(settings.Arch, cancellationToken).ConfigureAwait(false)
            : null;
        var definition = GuestConfigBuilder.Build(spec, settings, time.GetUtcNow(), modelNames);
        var xml = DomainXmlWriter.Format(definition);
        var id = spec.InstanceId;
        VirtLog.GuestXmlBuilt(logger, id, spec.Flavor.Vcpus, spec.Flavor.MemoryMiB, spec.Disks.Disks.Count, xml);
        await connections.RunAsync($"define the guest of instance {id}", SlowCall, connection =>
        {
            using (var existing = connection.TryLookupDomainByUuid(id))
            {
                if (existing is not null)
                {
                    throw VireoException.Conflict(IsOwned(existing)
                        ? $"instance {id} already has a guest on {connections.Uri} (libvirt domain '{existing.Name}'); undefine it before defining it again"
                        : $"libvirt at {connections.Uri} already has a domain with uuid {id} ('{existing.Name}') that is not this installation's; it is left alone");
                }
            }

            // validate=true: libvirt checks the XML against its schema instead of silently dropping what it does not know.
            using var defined = connection.DefineDomain(xml, validate: true);
            owned[id] = true;
            VirtLog.GuestDefined(logger, id, connections.Uri);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A round trip to the daemon (virConnectIsAlive alone answers from the client's state, even when libvirtd is hung).</summary>
    public Task EnsureReachableAsync(CancellationToken cancellationToken) =>
        connections.RunAsync("reach libvirt", connection => connection.LibraryVersion, cancellationToken);

    public Task<GuestInfo?> GetGuestAsync(Guid instanceId, CancellationToken cancellationToken) =>
        connections.RunAsync($"read the guest of instance {instanceId}", connection =>
        {
            using var domain = FindOwned(connection, instanceId);
            return domain is null ? null : Info(domain);
        }, cancellationToken);

    public Task<IReadOnlyList<GuestInfo>> ListOwnedGuestsAsync(CancellationToken cancellationToken) =>
        connections.RunAsync("list guests", connections.Limits.ListTimeout, connection => (IReadOnlyList<GuestInfo>)ListOwned(connection), cancellationToken);

    /// <summary>The budget of calls that wait for QEMU or a domain job; only background operations make them.</summary>
    private TimeSpan SlowCall => connections.Limits.SlowCallTimeout;

    public async ValueTask DisposeAsync()
    {
        if (disposing.IsCancellationRequested)
        {
            return;
        }

        await disposing.CancelAsync().ConfigureAwait(false);
        if (ownsConnections)
        {
            await connections.DisposeAsync().ConfigureAwait(false);
        }

        disposing.Dispose();
    }

    private static HypervisorSettings Validated(HypervisorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return string.IsNullOrWhiteSpace(settings.InstallationId)
            ? throw new VireoException(ErrorKind.Configuration, "the hypervisor needs a non-empty installation id; it marks which libvirt domains are this installation's")
            : settings;
    }

    private List<GuestInfo> ListOwned(Connection connection)
    {
        var guests = new List<GuestInfo>();
        foreach (var domain in connection.ListAllDomains())
        {
            using (domain)
            {
                try
                {
                    if (IsOwned(domain))
                    {
                        owned[domain.Uuid] = true;
                        guests.Add(Info(domain));
                    }
                }
                catch (LibvirtNotFoundException gone)
                {
                    // Undefined between the listing and the look: no longer there, so not listed.
                    VirtLog.GuestVanishedWhileListing(logger, domain.Uuid, gone.Message);
                }
            }
        }

        return guests;
    }

    /// <summary>The domain of this instance when this installation owns it; null when absent or someone else's.</summary>
    private Domain? FindOwned(Connection connection, Guid instanceId)
    {
        var domain = connection.TryLookupDomainByUuid(instanceId);
        if (domain is null)
        {
            return null;
        }

        bool mine;
        try
        {
            mine = IsOwned(domain);
        }
        catch (LibvirtNotFoundException gone)
        {
            mine = false;
            VirtLog.DomainGoneWhileChecked(logger, instanceId, gone.Message);
        }

        if (mine)
        {
            owned[instanceId] = true;
            return domain;
        }

        domain.Dispose();
        return null;
    }

    private Domain FindOwnedOrThrow(Connection connection, Guid instanceId) =>
        FindOwned(connection, instanceId)
        ?? throw VireoException.NotFound(
            $"instance {instanceId} has no guest on {connections.Uri} owned by installation '{settings.InstallationId}'");

    /// <summary>Reads the metadata from the live XML; a domain without Vireo's element, or with a malformed one, is not ours.</summary>
    private bool IsOwned(Domain domain)
    {
        VireoMetadata? metadata;
        try
        {
            metadata = VireoMetadataXml.Extract(domain.GetXmlDescription());
        }
        catch (DomainXmlException unreadable)
        {
            VirtLog.DomainMetadataUnreadable(logger, domain.Uuid, domain.Name, unreadable.Message);
            return false;
        }

        return metadata is not null && string.Equals(metadata.InstallationId, settings.InstallationId, StringComparison.Ordinal);
    }

    private static GuestInfo Info(Domain domain) => new(domain.Uuid, PowerStates.FromLibvirt(domain.GetState().State));
}
