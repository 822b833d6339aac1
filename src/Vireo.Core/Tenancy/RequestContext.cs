namespace Vireo.Core.Tenancy;

/// <summary>
/// Who is asking, for one request or one internal pass: Nova's request context
/// (nova/context.py RequestContext). Every compute and image operation takes one; no operation
/// reads "who" from anywhere else. The API builds it from the caller's token (Keystone or
/// noauth2); the service's own passes (start-up reconciliation, periodic workers) use
/// <see cref="ForService"/>.
/// </summary>
public sealed record RequestContext
{
    /// <summary>The role that makes a caller an administrator under Nova's default policy (<c>role:admin</c>).</summary>
    public const string AdminRole = "admin";

    public RequestContext(string requestId, string userId, string projectId, IReadOnlyList<string> roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        ArgumentNullException.ThrowIfNull(roles);
        RequestId = requestId;
        UserId = userId;
        ProjectId = projectId;
        Roles = roles;
    }

    /// <summary>Nova's <c>req-&lt;uuid&gt;</c>, answered in <c>x-openstack-request-id</c> and kept on action records.</summary>
    public string RequestId { get; }

    public string UserId { get; }

    public string ProjectId { get; }

    public IReadOnlyList<string> Roles { get; }

    /// <summary>Holds the admin role (Nova's <c>context.is_admin</c> under the default policy).</summary>
    public bool IsAdmin => Roles.Contains(AdminRole, StringComparer.OrdinalIgnoreCase);

    /// <summary>A new request id in Nova's form.</summary>
    public static string NewRequestId() => "req-" + Guid.NewGuid().ToString("D", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The service acting on its own (reconciliation, periodic passes): admin, in the given project.</summary>
    public static RequestContext ForService(string projectId, string? requestId = null) =>
        new(requestId ?? NewRequestId(), "vireo", projectId, [AdminRole]);

    /// <summary>Whether a resource owned by <paramref name="ownerProjectId"/> is this caller's own project's.</summary>
    public bool OwnsProject(string ownerProjectId) => string.Equals(ProjectId, ownerProjectId, StringComparison.Ordinal);

    public override string ToString() => $"{RequestId} user {UserId} project {ProjectId} roles [{string.Join(",", Roles)}]";
}
