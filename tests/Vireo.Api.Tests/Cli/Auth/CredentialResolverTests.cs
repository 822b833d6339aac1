using CsCheck;
using Vireo.Cli;
using Vireo.Cli.Client;
using Vireo.Cli.Client.Auth;

namespace Vireo.Api.Tests.Cli.Auth;

public sealed class CredentialResolverTests
{
    private const string CloudsPath = "/home/u/.config/openstack/clouds.yaml";
    private const string SecurePath = "/home/u/.config/openstack/secure.yaml";

    private const string Clouds = """
        clouds:
          lab:
            auth:
              auth_url: http://keystone.lab:5000/v3
              username: alice
              password: from-clouds
              project_name: demo
              user_domain_name: Users
              project_domain_id: default
            region_name: RegionTwo
            interface: internal
          bare:
            auth:
              auth_url: http://keystone.lab:5000
              username: bob
              project_id: 0123abcd
          open:
            auth_type: none
            auth:
              username: carol
              project_id: p-carol
          top:
            auth_url: http://top.lab:5000/v3
            username: dave
            password: top-secret
            project_name: demo
            regions:
              - RegionNine
              - RegionTen
        """;

    private static CredentialInputs Inputs(
        Dictionary<string, string>? environment = null,
        Dictionary<string, string>? flags = null,
        string? clouds = Clouds,
        string? secure = null) => new()
        {
            Environment = environment ?? [],
            Flags = flags ?? [],
            Clouds = clouds is null ? null : new ConfigFileText(CloudsPath, clouds),
            Secure = secure is null ? null : new ConfigFileText(SecurePath, secure),
            CloudsSearched = ["./clouds.yaml", CloudsPath, "/etc/openstack/clouds.yaml"],
        };

    private static ClientFailure Fails(CredentialInputs inputs)
    {
        var failure = Should.Throw<ClientFailure>(() => CredentialResolver.Resolve(inputs));
        failure.ExitCode.ShouldBe(ExitCodes.Configuration);
        return failure;
    }

    [Fact]
    public void Nothing_set_is_noauth2_as_admin_with_no_endpoint_override()
    {
        var resolved = CredentialResolver.Resolve(Inputs());

        resolved.Credentials.ShouldBe(ClientCredentials.NoAuth.Admin);
        ((ClientCredentials.NoAuth)resolved.Credentials).Header.ShouldBe("admin:admin");
        resolved.EndpointOverride.ShouldBeNull();
        resolved.Notes.ShouldBeEmpty();
    }

    [Fact]
    public void A_username_without_an_auth_url_or_auth_type_is_still_noauth2_as_admin()
    {
        var resolved = CredentialResolver.Resolve(Inputs(new() { ["OS_USERNAME"] = "alice", ["OS_PROJECT_NAME"] = "demo" }));

        ((ClientCredentials.NoAuth)resolved.Credentials).Header.ShouldBe("admin:admin");
    }

    [Fact]
    public void Auth_type_none_sends_the_user_and_project_from_the_environment()
    {
        var resolved = CredentialResolver.Resolve(Inputs(new() { ["OS_AUTH_TYPE"] = "none", ["OS_USERNAME"] = "alice", ["OS_PROJECT_ID"] = "p1" }));

        ((ClientCredentials.NoAuth)resolved.Credentials).Header.ShouldBe("alice:p1");
    }

    [Fact]
    public void Auth_type_noauth_in_clouds_yaml_sends_the_clouds_user_and_project()
    {
        var resolved = CredentialResolver.Resolve(Inputs(new() { ["OS_CLOUD"] = "open" }));

        ((ClientCredentials.NoAuth)resolved.Credentials).Header.ShouldBe("carol:p-carol");
    }

    [Fact]
    public void The_OS_variables_make_keystone_password_credentials()
    {
        var resolved = CredentialResolver.Resolve(Inputs(new()
        {
            ["OS_AUTH_URL"] = "http://127.0.0.1:5000/v3/",
            ["OS_USERNAME"] = "alice",
            ["OS_PASSWORD"] = "s3cret",
            ["OS_PROJECT_NAME"] = "demo",
            ["OS_USER_DOMAIN_NAME"] = "Default",
            ["OS_PROJECT_DOMAIN_ID"] = "default",
            ["OS_REGION_NAME"] = "RegionOne",
        }));

        var password = resolved.Credentials.ShouldBeOfType<ClientCredentials.KeystonePassword>();
        password.Scope.AuthUrl.ShouldBe(new Uri("http://127.0.0.1:5000/v3"));
        password.User.ShouldBe(new NamedInDomain(null, "alice", null, "Default"));
        password.Scope.Project.ShouldBe(new NamedInDomain(null, "demo", "default", null));
        password.Scope.RegionName.ShouldBe("RegionOne");
        password.Scope.Interface.ShouldBe("public");
        password.Password.Reveal().ShouldBe("s3cret");
        password.SecretOrigin.ShouldBe("OS_PASSWORD");
        password.Origin.ShouldBe("the OS_* environment variables");
    }

    [Fact]
    public void The_secret_never_shows_in_the_credentials_text()
    {
        var resolved = CredentialResolver.Resolve(Inputs(new()
        {
            ["OS_AUTH_URL"] = "http://127.0.0.1:5000/v3", ["OS_USERNAME"] = "alice", ["OS_PASSWORD"] = "s3cret-value", ["OS_PROJECT_NAME"] = "demo",
        }));

        resolved.ToString().ShouldNotContain("s3cret-value");
        resolved.Credentials.ToString().ShouldNotContain("s3cret-value");
    }

    [Theory]
    [InlineData("http://k:5000", "http://k:5000/v3")]
    [InlineData("http://k:5000/", "http://k:5000/v3")]
    [InlineData("http://k/identity", "http://k/identity/v3")]
    [InlineData("https://k/identity/v3/", "https://k/identity/v3")]
    public void The_auth_url_becomes_keystones_v3_root(string given, string expected) =>
        CredentialResolver.IdentityRoot(given).ShouldBe(new Uri(expected));

    [Theory]
    [InlineData("keystone:5000", "not an http")]
    [InlineData("http://k:5000/v2.0", "v2.0")]
    public void A_bad_auth_url_is_a_configuration_error_naming_it(string given, string expected)
    {
        var failure = Fails(Inputs(new() { ["OS_AUTH_URL"] = given, ["OS_USERNAME"] = "a", ["OS_PASSWORD"] = "p", ["OS_PROJECT_NAME"] = "d" }));

        failure.Message.ShouldContain(expected);
        failure.Message.ShouldContain("OS_AUTH_URL");
    }

    [Fact]
    public void Names_default_to_the_default_domain_or_OS_DEFAULT_DOMAIN()
    {
        var environment = new Dictionary<string, string>
        {
            ["OS_AUTH_URL"] = "http://k:5000/v3", ["OS_USERNAME"] = "a", ["OS_PASSWORD"] = "p", ["OS_PROJECT_NAME"] = "d",
        };
        var plain = (ClientCredentials.KeystonePassword)CredentialResolver.Resolve(Inputs(environment)).Credentials;
        environment["OS_DEFAULT_DOMAIN"] = "d42";
        var other = (ClientCredentials.KeystonePassword)CredentialResolver.Resolve(Inputs(environment)).Credentials;

        plain.User.DomainId.ShouldBe("default");
        plain.Scope.Project.DomainId.ShouldBe("default");
        other.User.DomainId.ShouldBe("d42");
        other.Scope.Project.DomainId.ShouldBe("d42");
    }

    [Fact]
    public void Ids_need_no_domain()
    {
        var resolved = (ClientCredentials.KeystonePassword)CredentialResolver.Resolve(Inputs(new()
        {
            ["OS_AUTH_URL"] = "http://k:5000/v3", ["OS_USER_ID"] = "u1", ["OS_PASSWORD"] = "p", ["OS_PROJECT_ID"] = "p1", ["OS_PROJECT_NAME"] = "ignored",
        })).Credentials;

        resolved.User.ShouldBe(new NamedInDomain("u1", null, null, null));
        resolved.Scope.Project.ShouldBe(new NamedInDomain("p1", null, null, null));
    }

    [Fact]
    public void OS_CLOUD_reads_the_cloud_from_clouds_yaml()
    {
        var resolved = CredentialResolver.Resolve(Inputs(new() { ["OS_CLOUD"] = "lab" }));

        var password = resolved.Credentials.ShouldBeOfType<ClientCredentials.KeystonePassword>();
        password.Scope.AuthUrl.ShouldBe(new Uri("http://keystone.lab:5000/v3"));
        password.User.ShouldBe(new NamedInDomain(null, "alice", null, "Users"));
        password.Scope.Project.ShouldBe(new NamedInDomain(null, "demo", "default", null));
        password.Scope.RegionName.ShouldBe("RegionTwo");
        password.Scope.Interface.ShouldBe("internal");
        password.Password.Reveal().ShouldBe("from-clouds");
        password.SecretOrigin.ShouldBe($"auth.password of cloud 'lab' in {CloudsPath}");
        password.Origin.ShouldBe($"cloud 'lab' in {CloudsPath}");
    }

    [Fact]
    public void Secure_yaml_is_merged_over_clouds_yaml()
    {
        var resolved = CredentialResolver.Resolve(Inputs(
            new() { ["OS_CLOUD"] = "bare" },
            secure: "clouds:\n  bare:\n    auth:\n      password: from-secure\n  other:\n    auth:\n      password: x\n"));

        var password = resolved.Credentials.ShouldBeOfType<ClientCredentials.KeystonePassword>();
        password.Password.Reveal().ShouldBe("from-secure");
        password.SecretOrigin.ShouldBe($"auth.password of cloud 'bare' in {SecurePath}");
        password.Scope.Project.ShouldBe(new NamedInDomain("0123abcd", null, null, null));
        password.Scope.AuthUrl.ShouldBe(new Uri("http://keystone.lab:5000/v3"));
    }

    [Fact]
    public void Top_level_auth_keys_and_the_first_region_are_taken_as_openstacksdk_does()
    {
        var password = (ClientCredentials.KeystonePassword)CredentialResolver.Resolve(Inputs(new() { ["OS_CLOUD"] = "top" })).Credentials;

        password.Scope.AuthUrl.ShouldBe(new Uri("http://top.lab:5000/v3"));
        password.User.Name.ShouldBe("dave");
        password.Password.Reveal().ShouldBe("top-secret");
        password.Scope.RegionName.ShouldBe("RegionNine");
    }

    [Fact]
    public void Environment_variables_override_the_cloud_and_flags_override_both()
    {
        var environment = new Dictionary<string, string> { ["OS_CLOUD"] = "lab", ["OS_PASSWORD"] = "from-env", ["OS_REGION_NAME"] = "EnvRegion", ["OS_PROJECT_NAME"] = "env-project" };
        var flags = new Dictionary<string, string> { ["--os-region-name"] = "FlagRegion" };

        var password = (ClientCredentials.KeystonePassword)CredentialResolver.Resolve(Inputs(environment, flags)).Credentials;

        password.Password.Reveal().ShouldBe("from-env");
        password.SecretOrigin.ShouldBe("OS_PASSWORD");
        password.Scope.RegionName.ShouldBe("FlagRegion");
        password.Scope.Project.Name.ShouldBe("env-project");
        password.User.Name.ShouldBe("alice");
    }

    [Fact]
    public void The_os_cloud_flag_wins_over_OS_CLOUD()
    {
        var resolved = CredentialResolver.Resolve(Inputs(new() { ["OS_CLOUD"] = "lab" }, new() { ["--os-cloud"] = "open" }));

        ((ClientCredentials.NoAuth)resolved.Credentials).Header.ShouldBe("carol:p-carol");
    }

    [Fact]
    public void An_unknown_cloud_lists_the_clouds_found()
    {
        var failure = Fails(Inputs(new() { ["OS_CLOUD"] = "prod" }));

        failure.Message.ShouldContain("cloud 'prod'");
        failure.Message.ShouldContain(CloudsPath);
        failure.Message.ShouldContain("bare, lab, open, top");
        failure.Message.ShouldContain("OS_CLOUD");
    }

    [Fact]
    public void A_cloud_without_any_clouds_yaml_says_where_it_looked()
    {
        var failure = Fails(Inputs(new() { ["OS_CLOUD"] = "lab" }, clouds: null));

        failure.Message.ShouldContain("no clouds.yaml was found");
        failure.Message.ShouldContain("/etc/openstack/clouds.yaml");
    }

    [Fact]
    public void A_cloud_without_a_password_names_the_key_and_the_variable()
    {
        var failure = Fails(Inputs(new() { ["OS_CLOUD"] = "bare" }));

        failure.Message.ShouldContain("cloud 'bare'");
        failure.Message.ShouldContain("auth.password");
        failure.Message.ShouldContain("OS_PASSWORD");
    }

    [Theory]
    [InlineData("OS_PASSWORD")]
    [InlineData("OS_USERNAME")]
    [InlineData("OS_PROJECT_NAME")]
    public void Environment_credentials_missing_a_part_name_its_variable(string missing)
    {
        var environment = new Dictionary<string, string>
        {
            ["OS_AUTH_URL"] = "http://k:5000/v3", ["OS_USERNAME"] = "a", ["OS_PASSWORD"] = "p", ["OS_PROJECT_NAME"] = "d",
        };
        environment.Remove(missing);

        Fails(Inputs(environment)).Message.ShouldContain(missing);
    }

    [Fact]
    public void Token_auth_takes_OS_TOKEN_and_needs_it()
    {
        var environment = new Dictionary<string, string> { ["OS_AUTH_TYPE"] = "token", ["OS_AUTH_URL"] = "http://k:5000/v3", ["OS_PROJECT_ID"] = "p1" };
        Fails(Inputs(environment)).Message.ShouldContain("OS_TOKEN");

        environment["OS_TOKEN"] = "gAAAA-token";
        var token = CredentialResolver.Resolve(Inputs(environment)).Credentials.ShouldBeOfType<ClientCredentials.KeystoneToken>();
        token.Token.Reveal().ShouldBe("gAAAA-token");
        token.Scope.Project.Id.ShouldBe("p1");
    }

    [Fact]
    public void An_unknown_auth_type_or_interface_is_named_with_its_source()
    {
        Fails(Inputs(new() { ["OS_AUTH_TYPE"] = "v2password", ["OS_AUTH_URL"] = "http://k/v3" })).Message.ShouldContain("'v2password' (from OS_AUTH_TYPE)");
        Fails(Inputs(new() { ["OS_AUTH_URL"] = "http://k/v3", ["OS_USERNAME"] = "a", ["OS_PASSWORD"] = "p", ["OS_PROJECT_NAME"] = "d", ["OS_INTERFACE"] = "private" }))
            .Message.ShouldContain("'private' (from OS_INTERFACE)");
    }

    [Theory]
    [InlineData("publicURL", "public")]
    [InlineData("internalURL", "internal")]
    [InlineData("admin", "admin")]
    public void Legacy_interface_names_are_accepted(string given, string expected) =>
        ((ClientCredentials.KeystonePassword)CredentialResolver.Resolve(Inputs(new()
        {
            ["OS_AUTH_URL"] = "http://k/v3", ["OS_USERNAME"] = "a", ["OS_PASSWORD"] = "p", ["OS_PROJECT_NAME"] = "d", ["OS_ENDPOINT_TYPE"] = given,
        })).Credentials).Scope.Interface.ShouldBe(expected);

    [Fact]
    public void OS_COMPUTE_API_VERSION_is_ignored_with_a_note()
    {
        var resolved = CredentialResolver.Resolve(Inputs(new() { ["OS_COMPUTE_API_VERSION"] = "2.79" }));

        resolved.Notes.ShouldHaveSingleItem().ShouldContain("OS_COMPUTE_API_VERSION=2.79 is ignored");
    }

    [Fact]
    public void VIREO_URL_and_compute_endpoint_override_override_the_catalog()
    {
        var keystone = new Dictionary<string, string> { ["OS_CLOUD"] = "lab", ["OS_COMPUTE_ENDPOINT_OVERRIDE"] = "http://compute.lab:8774/v2.1" };
        CredentialResolver.Resolve(Inputs(keystone)).EndpointOverride.ShouldBe(new Uri("http://compute.lab:8774/"));

        keystone["VIREO_URL"] = "http://vireo.lab:9000";
        CredentialResolver.Resolve(Inputs(keystone)).EndpointOverride.ShouldBe(new Uri("http://vireo.lab:9000"));
    }

    [Fact]
    public void A_vendor_profile_is_refused_naming_it()
    {
        Fails(Inputs(new() { ["OS_CLOUD"] = "v" }, clouds: "clouds:\n  v:\n    profile: vexxhost\n")).Message.ShouldContain("profile 'vexxhost'");
    }

    [Theory]
    [InlineData("clouds:\n  lab: [unclosed\n", "not valid YAML at line")]
    [InlineData("clouds: just-text\n", "not a mapping of cloud names")]
    [InlineData("clouds:\n  lab: text\n", "cloud 'lab'")]
    public void A_broken_clouds_yaml_names_the_file_and_place(string text, string expected)
    {
        var failure = Fails(Inputs(new() { ["OS_CLOUD"] = "lab" }, clouds: text));

        failure.Message.ShouldContain(CloudsPath);
        failure.Message.ShouldContain(expected);
    }

    [Fact]
    public void Any_order_of_sources_resolves_the_highest_precedence_value() =>
        // Each of flag, environment and cloud may or may not give the region; the answer is always the highest given.
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool).Sample((flag, env, cloud) =>
        {
            var clouds = "clouds:\n  c:\n    auth:\n      auth_url: http://k/v3\n      username: u\n      password: p\n      project_name: d\n" + (cloud ? "    region_name: FromCloud\n" : string.Empty);
            var environment = new Dictionary<string, string> { ["OS_CLOUD"] = "c" };
            if (env)
            {
                environment["OS_REGION_NAME"] = "FromEnv";
            }

            var flags = flag ? new Dictionary<string, string> { ["--os-region-name"] = "FromFlag" } : [];
            var region = ((ClientCredentials.KeystonePassword)CredentialResolver.Resolve(Inputs(environment, flags, clouds)).Credentials).Scope.RegionName;
            region.ShouldBe(flag ? "FromFlag" : env ? "FromEnv" : cloud ? "FromCloud" : null);
        });
}
