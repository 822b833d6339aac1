using Vireo.Core.Ports;
using Vireo.Storage.Rbd;

namespace Vireo.Storage.Tests;

/// <summary>The monitors of ceph.conf's mon_host in each spelling Ceph writes.</summary>
public sealed class CephMonHostsTests
{
    private static IReadOnlyList<NetworkHost> Monitors(string monHost)
    {
        var parsed = CephMonHosts.Parse($"[global]\nfsid = 1\n{monHost}\n[client]\nkeyring = /etc/ceph/k\n");
        parsed.Error.ShouldBeNull();
        return parsed.Monitors;
    }

    [Fact]
    public void Host_and_port() => Monitors("mon_host = a:6789").ShouldBe([new NetworkHost("a", 6789)]);

    [Fact]
    public void Hosts_without_ports_separated_by_commas_and_white_space_in_any_key_spelling_of_mon_host()
    {
        Monitors("mon_host = a,b").ShouldBe([new NetworkHost("a", null), new NetworkHost("b", null)]);
        Monitors("mon host =  10.0.0.1:6789 ,  10.0.0.2:6789   10.0.0.3").ShouldBe(
            [new NetworkHost("10.0.0.1", 6789), new NetworkHost("10.0.0.2", 6789), new NetworkHost("10.0.0.3", null)]);
        Monitors("  mon-host=a\tb").ShouldBe([new NetworkHost("a", null), new NetworkHost("b", null)]);
    }

    [Fact]
    public void Address_vectors_give_their_v1_address_and_prefixed_addresses_lose_prefix_and_nonce()
    {
        Monitors("mon_host = [v2:a:3300/0,v1:a:6789/0],[v2:b:3300/0,v1:b:6789/0]").ShouldBe([new NetworkHost("a", 6789), new NetworkHost("b", 6789)]);
        Monitors("mon_host = [v2:10.1.1.1:3300/0]").ShouldBe([new NetworkHost("10.1.1.1", 3300)]);
        Monitors("mon host = v1:127.0.0.1:40123").ShouldBe([new NetworkHost("127.0.0.1", 40123)]);
        Monitors("mon_host = [::1]:6789, [v2:[fd00::2]:3300/0,v1:[fd00::2]:6789/0]").ShouldBe([new NetworkHost("::1", 6789), new NetworkHost("fd00::2", 6789)]);
    }

    [Fact]
    public void Comments_and_other_sections_are_not_read()
    {
        CephMonHosts.Parse("[global]\n# mon_host = x\nmon_host = a ; old: b\n[client.vireo]\nmon_host = z\n").Monitors.ShouldBe([new NetworkHost("a", null)]);
    }

    [Theory]
    [InlineData("[global]\nfsid = 1\n", "has no mon_host in its [global] section")]
    [InlineData("[client]\nmon_host = a\n", "has no mon_host in its [global] section")]
    [InlineData("[global]\nmon_host =\n", "has an empty mon_host")]
    [InlineData("[global]\nmon_host = a:port\n", "has a mon_host entry 'a:port' that is not host, host:port or [v2:host:port/0,v1:host:port/0]")]
    [InlineData("[global]\nmon_host = a:70000\n", "has a mon_host entry 'a:70000' that is not host, host:port or [v2:host:port/0,v1:host:port/0]")]
    [InlineData("[global]\nmon_host = a$b\n", "has a mon_host entry 'a$b' that is not host, host:port or [v2:host:port/0,v1:host:port/0]")]
    public void Unparsable_files_say_what_is_wrong(string conf, string error)
    {
        var parsed = CephMonHosts.Parse(conf);

        parsed.Error.ShouldBe(error);
        parsed.Monitors.ShouldBeEmpty();
    }
}
