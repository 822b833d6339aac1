namespace Vireo.Core.Tenancy;

/// <summary>The owner values a record has before anyone set them (rows older than ownership, records made in code).</summary>
public static class Owners
{
    /// <summary>Nova's noauth2 default project (nova/api/openstack/auth.py NoAuthMiddleware); <c>[vireo] default_project_id</c> by default.</summary>
    public const string DefaultProjectId = "admin";

    /// <summary>The user the service acts as, and the user of servers created before ownership was recorded.</summary>
    public const string ServiceUserId = "vireo";
}
