using Vireo.Core.Tenancy;

namespace Vireo.Testing;

/// <summary>The callers tests act as: an admin of the default project (what noauth2 gives a request without a token), and two plain projects.</summary>
public static class Callers
{
    /// <summary>noauth2's <c>admin:admin</c>: the admin role in the default project.</summary>
    public static RequestContext Admin => new(RequestContext.NewRequestId(), "admin", Owners.DefaultProjectId, [RequestContext.AdminRole]);

    /// <summary>noauth2's <c>alice:projA</c>.</summary>
    public static RequestContext Alice => new(RequestContext.NewRequestId(), "alice", "projA", ["member"]);

    /// <summary>noauth2's <c>bob:projB</c>.</summary>
    public static RequestContext Bob => new(RequestContext.NewRequestId(), "bob", "projB", ["member"]);

    /// <summary>The default admin with a request id of the test's choosing.</summary>
    public static RequestContext Request(string requestId) => new(requestId, "admin", Owners.DefaultProjectId, [RequestContext.AdminRole]);

    /// <summary>A caller of the given project and user, admin or not.</summary>
    public static RequestContext Of(string user, string project, bool admin = false) =>
        new(RequestContext.NewRequestId(), user, project, admin ? [RequestContext.AdminRole] : ["member"]);
}
