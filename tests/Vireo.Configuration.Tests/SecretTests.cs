using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Output;

namespace Vireo.Configuration.Tests;

public class SecretTests
{
    // Every password of the deployed fixture.
    private static readonly string[] Passwords = ["Rq8mV2xkP4tZ", "Zb7Qw1sLk9Xe", "Hw3nPq7yRt2v", "Pk4dLs8wQe1n", "Xv5rJm2cNw8s", "Lq0pWd6hTz3k", "Tf9xBv3nMq7c", "Yg2kHs6pLd4w", "Ke8mWq2rTn5v"];

    [Fact]
    public void No_password_of_a_deployed_file_appears_in_any_message_or_effective_value()
    {
        var result = Fixture.Load("good/openstack-deployed.conf", new() { Strict = true });
        var printed = string.Join('\n', result.Errors.Concat(result.Warnings).Select(d => d.ToString())
            .Concat(result.Effective.Select(e => e.DisplayValue ?? "")));
        foreach (var password in Passwords)
        {
            printed.ShouldNotContain(password);
        }
        result.Effective.Single(e => e.Option == NovaOptions.KeystoneAuthToken.Password).DisplayValue.ShouldBe("***");
        result.Effective.Single(e => e.Option == NovaOptions.Database.Connection).DisplayValue.ShouldBe("mysql+pymysql://nova:***@10.20.0.10:3306/nova");
    }

    [Fact]
    public void Option_records_never_print_secrets()
    {
        var options = Fixture.Load("good/openstack-deployed.conf").Options!;
        options.ToString().ShouldNotContain("Pk4dLs8wQe1n");
        options.ToString().ShouldNotContain("Xv5rJm2cNw8s");
        options.Database.Connection.ShouldContain("Pk4dLs8wQe1n");
        options.KeystoneAuthToken.Password.ShouldBe("Xv5rJm2cNw8s");
    }

    [Theory]
    [InlineData("mysql+pymysql://nova:secret@db:3306/nova", "mysql+pymysql://nova:***@db:3306/nova")]
    [InlineData("rabbit://u:p1@h1:5672,u:p2@h2:5672//", "rabbit://u:***@h2:5672//")]
    [InlineData("postgresql://u:pa/ss@h/db", "postgresql://u:***@h/db")]
    [InlineData("mysql://nova@db/nova", "mysql://nova@db/nova")]
    [InlineData("qemu:///system", "qemu:///system")]
    public void Passwords_inside_urls_are_hidden(string url, string shown) => Redaction.RedactUrlPasswords(url).ShouldBe(shown);

    [Fact]
    public void A_secret_with_a_bad_dollar_is_reported_without_its_value()
    {
        var error = Fixture.Text("[keystone_authtoken]\npassword = hunter$zzq\n").Errors.ShouldHaveSingleItem();
        error.Message.ShouldNotContain("zzq");
        error.Message.ShouldNotContain("hunter");
        error.Message.ShouldContain("$$");
    }
}
