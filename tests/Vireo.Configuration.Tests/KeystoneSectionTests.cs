namespace Vireo.Configuration.Tests;

/// <summary>[keystone_authtoken] as the API reads it: the password plugin's four options together, token_cache_time.</summary>
public sealed class KeystoneSectionTests
{
    // What scripts/tempest writes.
    private const string Harness = """
        [keystone_authtoken]
        www_authenticate_uri = http://127.0.0.1:25000
        auth_url = http://127.0.0.1:25000
        auth_type = password
        project_domain_name = Default
        user_domain_name = Default
        project_name = service
        username = nova
        password = 0123456789abcdef01234567
        """;

    [Fact]
    public void The_harness_section_loads_without_any_diagnostic_and_turns_keystone_on()
    {
        var result = Fixture.Text(Harness);

        result.Errors.ShouldBeEmpty(Fixture.Describe(result));
        result.Warnings.ShouldBeEmpty(Fixture.Describe(result));
        var keystone = result.Options!.KeystoneAuthToken;
        keystone.IsConfigured.ShouldBeTrue();
        keystone.TokenCacheTimeSeconds.ShouldBe(300);
        keystone.HttpConnectTimeoutSeconds.ShouldBe(10);
        keystone.ToString().ShouldNotContain("0123456789abcdef01234567");
    }

    [Fact]
    public void No_section_leaves_keystone_off()
    {
        Fixture.Text("[DEFAULT]\n").Options!.KeystoneAuthToken.IsConfigured.ShouldBeFalse();
    }

    [Fact]
    public void Token_cache_time_and_the_domain_ids_are_read()
    {
        var options = Fixture.Text(Harness + "\ntoken_cache_time = 5\nhttp_connect_timeout = 3\nuser_domain_id = default\nproject_domain_id = default\n").Options!.KeystoneAuthToken;

        options.TokenCacheTimeSeconds.ShouldBe(5);
        options.HttpConnectTimeoutSeconds.ShouldBe(3);
        options.UserDomainId.ShouldBe("default");
        options.ProjectDomainId.ShouldBe("default");
    }

    [Fact]
    public void A_section_without_auth_url_or_project_name_is_refused_naming_each()
    {
        var result = Fixture.Text("[keystone_authtoken]\nusername = nova\npassword = secret\n");

        result.Errors.Select(e => (e.Code, e.Key)).ShouldBe(
            [(DiagnosticCodes.KeystoneIncomplete, "auth_url"), (DiagnosticCodes.KeystoneIncomplete, "project_name")], ignoreOrder: true);
        result.Errors[0].Message.ShouldContain("remove the section to run without Keystone");
    }

    [Fact]
    public void An_auth_type_other_than_password_is_refused()
    {
        var result = Fixture.Text(Harness.Replace("auth_type = password", "auth_type = v3token", StringComparison.Ordinal));

        result.Errors.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.KeystoneAuthType);
    }

    [Fact]
    public void Memcached_servers_and_region_name_are_accepted_with_a_warning_that_they_do_nothing()
    {
        var result = Fixture.Text(Harness + "\nmemcached_servers = 10.0.0.1:11211\nregion_name = RegionOne\n");

        result.Errors.ShouldBeEmpty();
        result.Warnings.Select(w => (w.Code, w.Key)).ShouldBe(
            [(DiagnosticCodes.NotImplemented, "memcached_servers"), (DiagnosticCodes.NotImplemented, "region_name")], ignoreOrder: true);
    }
}
