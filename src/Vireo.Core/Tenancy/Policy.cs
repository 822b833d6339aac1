namespace Vireo.Core.Tenancy;

/// <summary>Who a policy rule lets through.</summary>
public enum PolicyRequirement
{
    /// <summary>Nova's and Glance's <c>role:admin</c>.</summary>
    Admin,

    /// <summary>Any authenticated caller (the resource checks of <see cref="Access"/> still apply).</summary>
    AnyCaller,
}

/// <summary>
/// The policy rules Vireo enforces, as data: rule name -> requirement. The names and the defaults are
/// Nova's (nova/policies/flavor_manage.py, servers.py) and Glance's (glance/policies/image.py
/// <c>publicize_image</c>); the <c>vireo:</c> rules guard Vireo's own operator extensions. A refusal is
/// Forbidden (403) with Nova's sentence "Policy doesn't allow &lt;rule&gt; to be performed.".
/// </summary>
public static class Policy
{
    public const string FlavorCreate = "os_compute_api:os-flavor-manage:create";
    public const string FlavorDelete = "os_compute_api:os-flavor-manage:delete";
    public const string ServersAllTenants = "os_compute_api:servers:index:get_all_tenants";
    public const string ServersShowHostFields = "os_compute_api:os-extended-server-attributes";
    public const string PublicizeImage = "publicize_image";
    public const string Orphans = "vireo:orphans";
    public const string ImageCache = "vireo:image-cache";
    public const string ServicePass = "vireo:service-pass";

    public static IReadOnlyDictionary<string, PolicyRequirement> Rules { get; } = new Dictionary<string, PolicyRequirement>(StringComparer.Ordinal)
    {
        [FlavorCreate] = PolicyRequirement.Admin,
        [FlavorDelete] = PolicyRequirement.Admin,
        [ServersAllTenants] = PolicyRequirement.Admin,
        [ServersShowHostFields] = PolicyRequirement.Admin,
        [PublicizeImage] = PolicyRequirement.Admin,
        [Orphans] = PolicyRequirement.Admin,
        [ImageCache] = PolicyRequirement.Admin,
        [ServicePass] = PolicyRequirement.Admin,
    };

    /// <summary>Whether <paramref name="context"/> passes <paramref name="rule"/>; an unknown rule passes nobody.</summary>
    public static bool Allows(RequestContext context, string rule)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Rules.TryGetValue(rule, out var requirement) && requirement switch
        {
            PolicyRequirement.Admin => context.IsAdmin,
            PolicyRequirement.AnyCaller => true,
            _ => false,
        };
    }

    /// <summary>Throws Forbidden with Nova's message when <paramref name="context"/> does not pass <paramref name="rule"/>.</summary>
    public static void Enforce(RequestContext context, string rule)
    {
        if (!Allows(context, rule))
        {
            throw Refusal(rule);
        }
    }

    /// <summary>Nova's <c>PolicyNotAuthorized</c> message (nova/exception.py).</summary>
    public static VireoException Refusal(string rule) => new(ErrorKind.Forbidden, $"Policy doesn't allow {rule} to be performed.");
}
