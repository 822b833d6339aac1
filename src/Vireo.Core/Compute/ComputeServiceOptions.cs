namespace Vireo.Core.Compute;

/// <summary>Plain settings of the compute service; the composition root fills them from nova.conf.</summary>
/// <param name="Host">This compute host's name (<c>[DEFAULT] host</c>), stored on each instance.</param>
public sealed record ComputeServiceOptions(string Host)
{
    /// <summary>How long a graceful stop waits for the guest OS (Nova's <c>[DEFAULT] shutdown_timeout</c>, 60 s).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// This installation's id (<c>[vireo] installation_id</c> or the one kept in state_path): only
    /// instance directories whose owner file names it and <see cref="Host"/> are ever removed by
    /// reconciliation or a purge. Empty: none are.
    /// </summary>
    public string InstallationId { get; init; } = string.Empty;

    /// <summary>How often an accepted state change is retried when another request changed the row first.</summary>
    public int ConcurrentUpdateAttempts { get; init; } = 5;

    /// <summary>
    /// The project the service's own passes act in (<c>[vireo] default_project_id</c>, Nova's noauth2
    /// default "admin"): <see cref="ComputeService.ServiceContext"/>.
    /// </summary>
    public string DefaultProjectId { get; init; } = Tenancy.Owners.DefaultProjectId;
}

/// <summary>What <c>server create</c> asks for.</summary>
/// <param name="ImageRef">An image id or name.</param>
/// <param name="FlavorRef">A flavor id ("1") or name ("m1.tiny").</param>
public sealed record CreateServerRequest(string Name, string ImageRef, string FlavorRef);

public enum RebootType
{
    Soft,
    Hard,
}

/// <summary>
/// An accepted operation: <see cref="Accepted"/> is the instance as stored when the request
/// was accepted (what an API answers 202 with); <see cref="Completion"/> finishes with the
/// final instance, or fails with a <see cref="VireoException"/> after the instance was put
/// into its failed state (ERROR with a reason for create, delete and reboot).
/// </summary>
public sealed record ServerOperation(Instance Accepted, Task<Instance> Completion);
