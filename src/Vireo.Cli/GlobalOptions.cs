using System.CommandLine;

namespace Vireo.Cli;

/// <summary>Options every command accepts: the nova.conf files, JSON output and the OpenStack credential flags.</summary>
public static class GlobalOptions
{
    public static readonly Option<string[]> ConfigFile = new("--config-file")
    {
        Description = "A nova.conf file to read (repeatable; later files override earlier ones).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string?> ConfigDir = new("--config-dir")
    {
        Description = "A directory whose *.conf files are read after --config-file, in name order.",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON only on stdout (messages go to stderr).",
        Recursive = true,
    };

    /// <summary>
    /// The <c>openstack</c> client's credential flags (python-openstackclient's <c>--os-*</c>), over the
    /// <c>OS_*</c> variables and clouds.yaml. No password or token flag: a command line is visible to
    /// every user of the host; give those in <c>OS_PASSWORD</c>/<c>OS_TOKEN</c> or secure.yaml.
    /// </summary>
    public static readonly IReadOnlyList<Option<string?>> OpenStack =
    [
        OpenStackOption("--os-cloud", "The cloud of clouds.yaml to use (else OS_CLOUD)."),
        OpenStackOption("--os-auth-url", "Keystone's URL (else OS_AUTH_URL)."),
        OpenStackOption("--os-username", "The Keystone user (else OS_USERNAME)."),
        OpenStackOption("--os-project-name", "The project to work in (else OS_PROJECT_NAME)."),
        OpenStackOption("--os-project-id", "The project to work in, by id (else OS_PROJECT_ID)."),
        OpenStackOption("--os-user-domain-name", "The user's domain (else OS_USER_DOMAIN_NAME)."),
        OpenStackOption("--os-project-domain-name", "The project's domain (else OS_PROJECT_DOMAIN_NAME)."),
        OpenStackOption("--os-region-name", "The region of the compute endpoint (else OS_REGION_NAME)."),
        OpenStackOption("--os-interface", "public, internal or admin endpoint (else OS_INTERFACE; default public)."),
        OpenStackOption("--os-auth-type", "password, token or none (else OS_AUTH_TYPE)."),
    ];

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(ConfigFile);
        root.Options.Add(ConfigDir);
        root.Options.Add(Json);
        foreach (var option in OpenStack)
        {
            root.Options.Add(option);
        }
    }

    private static Option<string?> OpenStackOption(string name, string description) => new(name)
    {
        Description = description,
        Recursive = true,
        HelpName = "value",
    };
}
