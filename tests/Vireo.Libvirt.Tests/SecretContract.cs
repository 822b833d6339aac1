using System.Text;

namespace Vireo.Libvirt.Tests;

/// <summary>The secret calls of the binding (virSecret*), as a guest disk's cephx &lt;auth&gt; needs them.</summary>
public abstract class SecretContract(DriverFixture fixture)
{
    private Connection Conn => fixture.Connection;

    private static string CephSecretXml(Guid uuid, string usage) => $"""
        <secret ephemeral='no' private='yes'>
          <uuid>{uuid:D}</uuid>
          <usage type='ceph'><name>{usage}</name></usage>
        </secret>
        """;

    [Fact]
    public void Define_set_value_look_up_and_undefine_a_ceph_secret()
    {
        var uuid = Guid.NewGuid();
        var usage = DriverFixture.UniqueName("client") + " secret";
        using (var secret = Conn.DefineSecret(CephSecretXml(uuid, usage)))
        {
            try
            {
                secret.Uuid.ShouldBe(uuid);
                secret.UsageId.ShouldBe(usage);
                secret.SetValue(Encoding.ASCII.GetBytes("not-a-real-key"));
                using var found = Conn.LookupSecretByUuid(uuid);
                found.Uuid.ShouldBe(uuid);
                found.UsageId.ShouldBe(usage);
            }
            finally
            {
                secret.Undefine();
            }
        }

        var e = Should.Throw<LibvirtNotFoundException>(() => Conn.LookupSecretByUuid(uuid));
        e.Code.ShouldBe(LibvirtErrorCode.NoSecret);
    }

    [Fact]
    public void A_missing_secret_is_not_found_and_bad_xml_is_refused_with_libvirts_message()
    {
        Should.Throw<LibvirtNotFoundException>(() => Conn.LookupSecretByUuid(Guid.NewGuid())).Code.ShouldBe(LibvirtErrorCode.NoSecret);
        var e = Should.Throw<LibvirtException>(() => Conn.DefineSecret("<secret><usage type='ceph'>"));
        e.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void A_second_secret_for_the_same_usage_is_refused()
    {
        var usage = DriverFixture.UniqueName("client") + " secret";
        using var first = Conn.DefineSecret(CephSecretXml(Guid.NewGuid(), usage));
        try
        {
            var e = Should.Throw<LibvirtException>(() => Conn.DefineSecret(CephSecretXml(Guid.NewGuid(), usage)));
            e.Message.ShouldContain(usage);
        }
        finally
        {
            first.Undefine();
        }
    }
}

/// <summary>libvirt's test driver has no secret driver: the binding reports that as not supported, not as a crash or a miss.</summary>
public sealed class TestDriverSecretTests(TestDriverFixture fixture) : IClassFixture<TestDriverFixture>
{
    [Fact]
    public void Secrets_are_not_supported_by_the_test_driver()
    {
        Should.Throw<LibvirtNotSupportedException>(() => fixture.Connection.LookupSecretByUuid(Guid.NewGuid()));
        Should.Throw<LibvirtNotSupportedException>(() => fixture.Connection.DefineSecret("<secret ephemeral='no' private='yes'><usage type='ceph'><name>x</name></usage></secret>"));
    }
}

public sealed class QemuSystemSecretTests(QemuSystemFixture fixture) : SecretContract(fixture), IClassFixture<QemuSystemFixture>;
