using Vireo.Api.Http;

namespace Vireo.Api;

/// <summary>Settings of the HTTP API; the composition root fills them from nova.conf.</summary>
public sealed record ComputeApiOptions
{
    /// <summary>
    /// The base of the links in responses, e.g. <c>https://compute.example.com</c> behind a
    /// proxy (Nova's <c>[api] compute_link_prefix</c>); null uses the request's own scheme and host.
    /// </summary>
    public Uri? LinkPrefix { get; init; }

    /// <summary>
    /// The names the API answers to in the Host header (the loopback names, osapi_compute_listen,
    /// <c>[vireo] allowed_hosts</c>); any other Host is refused before routing.
    /// </summary>
    public HostAllowList AllowedHosts { get; init; } = HostAllowList.LoopbackOnly;

    /// <summary>
    /// The project of a caller without a token under noauth2 (<c>[vireo] default_project_id</c>, Nova's
    /// noauth2 default "admin"); rows older than ownership belong to it.
    /// </summary>
    public string DefaultProjectId { get; init; } = Core.Tenancy.Owners.DefaultProjectId;

    /// <summary>The availability zone shown on servers (Nova's <c>[DEFAULT] default_availability_zone</c>).</summary>
    public string AvailabilityZone { get; init; } = "nova";

    /// <summary>
    /// Glance's <c>image_size_cap</c> (<c>[image] image_size_cap</c>, 1 TiB): an upload or import
    /// declaring a longer Content-Length is refused (413) before a byte is read, and the request
    /// body limit of those two is set a little above it (the store stops at the first byte over).
    /// </summary>
    public long ImageSizeCapBytes { get; init; } = 1L << 40;
}
