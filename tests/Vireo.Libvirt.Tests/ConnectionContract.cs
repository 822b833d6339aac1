using System.Xml.Linq;

namespace Vireo.Libvirt.Tests;

/// <summary>The binding's contract; each driver runs the same facts through its own fixture.</summary>
public abstract class ConnectionContract(DriverFixture fixture)
{
    protected DriverFixture Fixture { get; } = fixture;

    protected Connection Conn => Fixture.Connection;

    [Fact]
    public void Versions_are_plausible()
    {
        LibvirtVersion.Library().Major.ShouldBeGreaterThanOrEqualTo(8);
        Conn.LibraryVersion.Major.ShouldBeGreaterThanOrEqualTo(8);
        var hv = Conn.HypervisorVersion;
        (hv.Major + hv.Minor + hv.Release).ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Connection_is_alive_and_reports_its_uri()
    {
        Conn.IsAlive.ShouldBeTrue();
        Conn.Uri.ShouldBe(Fixture.Uri);
        Conn.Hostname.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Capabilities_list_an_hvm_guest()
    {
        var caps = XDocument.Parse(Conn.GetCapabilities());
        caps.Root!.Name.LocalName.ShouldBe("capabilities");
        caps.Descendants("guest").Select(g => (string?)g.Element("os_type")).ShouldContain("hvm");
    }

    [Fact]
    public void Domain_capabilities_answer_on_a_real_hypervisor_and_are_not_supported_on_test()
    {
        if (Fixture.IsRealHypervisor)
        {
            var doc = XDocument.Parse(Conn.GetDomainCapabilities(virtType: "qemu", arch: "x86_64"));
            doc.Root!.Name.LocalName.ShouldBe("domainCapabilities");
            ((string?)doc.Root.Element("domain")).ShouldBe("qemu");
        }
        else
        {
            var e = Should.Throw<LibvirtNotSupportedException>(() => Conn.GetDomainCapabilities(virtType: "qemu"));
            e.Code.ShouldBeOneOf(LibvirtErrorCode.NoSupport, LibvirtErrorCode.OperationUnsupported);
        }
    }

    [Fact]
    public void Missing_domain_lookup_raises_not_found_with_libvirt_code()
    {
        var e = Should.Throw<LibvirtNotFoundException>(() => Conn.LookupDomainByUuid(Guid.NewGuid()));
        e.Code.ShouldBe(LibvirtErrorCode.NoDomain);
        e.Message.ShouldNotBeNullOrWhiteSpace();
        Should.Throw<LibvirtNotFoundException>(() => Conn.LookupDomainByName(DriverFixture.UniqueName("absent")));
        Conn.TryLookupDomainByUuid(Guid.NewGuid()).ShouldBeNull();
    }

    [Fact]
    public void Invalid_xml_raises_a_typed_error_carrying_libvirts_message()
    {
        var e = Should.Throw<LibvirtException>(() => Conn.DefineDomain("<domain type='qemu'><name>x</name"));
        e.Code.ShouldNotBe(LibvirtErrorCode.Ok);
        e.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Define_lookup_list_and_undefine_a_domain()
    {
        var name = DriverFixture.UniqueName("define");
        var uuid = Guid.NewGuid();
        using var scope = new DomainScope(Conn, uuid);
        using (var defined = Conn.DefineDomain(Fixture.DomainXml(name, uuid)))
        {
            defined.Name.ShouldBe(name);
            defined.Uuid.ShouldBe(uuid);
            defined.IsPersistent.ShouldBeTrue();
            defined.GetState().State.ShouldBe(DomainState.Shutoff);
        }
        using (var byName = Conn.LookupDomainByName(name))
        {
            byName.Uuid.ShouldBe(uuid);
        }
        var all = Conn.ListAllDomains();
        try
        {
            all.Select(d => d.Uuid).ShouldContain(uuid);
        }
        finally
        {
            foreach (var d in all) { d.Dispose(); }
        }
        using (var inactive = Conn.LookupDomainByUuid(uuid))
        {
            inactive.GetXmlDescription().ShouldContain($"<name>{name}</name>");
            inactive.Undefine();
        }
        Conn.TryLookupDomainByUuid(uuid).ShouldBeNull();
    }

    [Fact]
    public void Start_suspend_resume_reboot_and_destroy_report_states_with_reasons()
    {
        var name = DriverFixture.UniqueName("power");
        var uuid = Guid.NewGuid();
        using var scope = new DomainScope(Conn, uuid);
        using var domain = Conn.DefineDomain(Fixture.DomainXml(name, uuid));

        domain.Start();
        domain.GetState().ShouldBe(new DomainStateInfo(DomainState.Running, 1));
        domain.GetState().ReasonName.ShouldBe("booted");

        domain.Suspend();
        domain.GetState().State.ShouldBe(DomainState.Paused);
        domain.Resume();
        domain.GetState().State.ShouldBe(DomainState.Running);

        domain.Reboot();
        domain.Destroy();
        var stopped = domain.GetState();
        stopped.State.ShouldBe(DomainState.Shutoff);
        stopped.ReasonName.ShouldBe("destroyed");

        Should.Throw<LibvirtOperationInvalidException>(domain.Destroy);
    }

    [Fact]
    public void Shutdown_request_is_accepted_by_a_running_domain()
    {
        var uuid = Guid.NewGuid();
        using var scope = new DomainScope(Conn, uuid);
        using var domain = Conn.DefineDomain(Fixture.DomainXml(DriverFixture.UniqueName("shutdown"), uuid));
        domain.Start();
        if (Fixture.IsRealHypervisor)
        {
            Should.NotThrow(() => domain.Shutdown(PowerRequestMode.AcpiPowerButton));
        }
        else
        {
            // The test driver shuts down at once and knows no ACPI mode.
            Should.Throw<LibvirtNotSupportedException>(() => domain.Shutdown(PowerRequestMode.AcpiPowerButton));
            domain.Shutdown();
            domain.GetState().State.ShouldBe(DomainState.Shutoff);
        }
    }

    [Fact]
    public void Transient_autodestroy_domain_disappears_with_its_connection()
    {
        var uuid = Guid.NewGuid();
        using var scope = new DomainScope(Conn, uuid);
        if (!Fixture.IsRealHypervisor)
        {
            Should.Throw<LibvirtNotSupportedException>(() => Conn.CreateTransientDomain(Fixture.DomainXml(DriverFixture.UniqueName("transient"), uuid), DomainCreateFlags.AutoDestroy));
            return;
        }
        using (var owner = Connection.Open(Fixture.Uri))
        {
            using var transient = owner.CreateTransientDomain(Fixture.DomainXml(DriverFixture.UniqueName("transient"), uuid), DomainCreateFlags.AutoDestroy);
            transient.IsPersistent.ShouldBeFalse();
            transient.GetState().State.ShouldBe(DomainState.Running);
            using var seen = Conn.LookupDomainByUuid(uuid);
        }
        Eventually(() => Conn.TryLookupDomainByUuid(uuid) is null, TimeSpan.FromSeconds(30)).ShouldBeTrue();
    }

    [Fact]
    public async Task Lifecycle_events_arrive_for_define_start_and_stop()
    {
        using var events = Conn.SubscribeLifecycleEvents();
        var uuid = Guid.NewGuid();
        using var scope = new DomainScope(Conn, uuid);
        using var domain = Conn.DefineDomain(Fixture.DomainXml(DriverFixture.UniqueName("events"), uuid));
        domain.Start();
        domain.Destroy();

        var wanted = new List<DomainEventType> { DomainEventType.Defined, DomainEventType.Started, DomainEventType.Stopped };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (wanted.Count > 0)
        {
            var e = await events.Events.ReadAsync(deadline.Token);
            if (e.Uuid == uuid)
            {
                wanted.Remove(e.Event);
            }
        }
        wanted.ShouldBeEmpty();
    }

    [Fact]
    public void A_subscription_nobody_reads_keeps_at_most_its_capacity_and_counts_what_it_dropped()
    {
        using var events = Conn.SubscribeLifecycleEvents(capacity: 2);
        var uuid = Guid.NewGuid();
        using var scope = new DomainScope(Conn, uuid);
        using var domain = Conn.DefineDomain(Fixture.DomainXml(DriverFixture.UniqueName("bounded"), uuid));
        domain.Start();
        domain.Destroy();

        // Three events (defined, started, stopped) into two places: the oldest goes.
        Eventually(() => events.DroppedCount >= 1, TimeSpan.FromSeconds(60)).ShouldBeTrue();
        events.Events.Count.ShouldBeLessThanOrEqualTo(2);
    }

    [Fact]
    public void Agent_command_without_an_agent_raises_a_typed_error()
    {
        var uuid = Guid.NewGuid();
        using var scope = new DomainScope(Conn, uuid);
        using var domain = Conn.DefineDomain(Fixture.DomainXml(DriverFixture.UniqueName("agent"), uuid));
        domain.Start();
        // test:///default does not implement the call; QEMU refuses because no agent channel is configured.
        var e = Should.Throw<LibvirtException>(() => domain.QemuAgentCommand("""{"execute":"guest-ping"}""", TimeSpan.FromSeconds(5)));
        if (!Fixture.IsRealHypervisor)
        {
            e.ShouldBeOfType<LibvirtNotSupportedException>();
        }
        else
        {
            e.Message.ShouldContain("agent", Case.Insensitive);
        }
    }

    [Fact]
    public void Hypervisor_cpu_compare_and_baseline_answer_on_a_real_hypervisor()
    {
        const string qemu64 = "<cpu mode='custom' match='exact'><model>qemu64</model></cpu>";
        if (!Fixture.IsRealHypervisor)
        {
            Should.Throw<LibvirtNotSupportedException>(() => Conn.CompareHypervisorCpu(qemu64, virtType: "qemu"));
            Should.Throw<LibvirtNotSupportedException>(() => Conn.BaselineHypervisorCpu([qemu64], virtType: "qemu"));
            return;
        }
        Conn.CompareHypervisorCpu(qemu64, virtType: "qemu", arch: "x86_64").ShouldNotBe(CpuCompareResult.Incompatible);
        // TCG cannot provide pcid (docs/host-notes.md): the comparison must say so.
        const string nehalemPcid = "<cpu mode='custom' match='exact'><model>Nehalem</model><feature policy='require' name='pcid'/></cpu>";
        Conn.CompareHypervisorCpu(nehalemPcid, virtType: "qemu", arch: "x86_64").ShouldBe(CpuCompareResult.Incompatible);

        var baseline = XElement.Parse(Conn.BaselineHypervisorCpu(
            [qemu64, "<cpu mode='custom' match='exact'><model>Nehalem</model></cpu>"], virtType: "qemu", arch: "x86_64"));
        baseline.Name.LocalName.ShouldBe("cpu");
        ((string?)baseline.Element("model")).ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Cpu_model_names_are_the_daemons_list_for_an_arch()
    {
        var names = Conn.GetCpuModelNames("x86_64");

        // Both drivers read libvirt's x86 map: its first model and QEMU's default are there, spelled as libvirt spells them.
        names.ShouldContain("486");
        names.ShouldContain("qemu64");
        names.ShouldContain("Westmere");
        names.ShouldNotContain("westmere");
        names.ShouldAllBe(n => n.Length > 0);
        names.Distinct(StringComparer.Ordinal).Count().ShouldBe(names.Count);
        Conn.GetCpuModelNames("i686").ShouldBe(names, "i686 and x86_64 share libvirt's x86 map");
    }

    [Fact]
    public void Cpu_model_names_of_an_unknown_arch_are_refused_with_libvirts_message()
    {
        var e = Should.Throw<LibvirtException>(() => Conn.GetCpuModelNames("vireo-no-such-arch"));

        e.Code.ShouldBe(LibvirtErrorCode.InvalidArg);
        e.Message.ShouldContain("vireo-no-such-arch");
    }

    [Fact]
    public void Cpu_model_names_are_copied_out_so_repeated_calls_give_equal_independent_lists()
    {
        // Each call copies the strings before freeing libvirt's array: a list read earlier stays intact.
        var first = Conn.GetCpuModelNames("x86_64");
        for (var i = 0; i < 200; i++)
        {
            Conn.GetCpuModelNames("x86_64").ShouldBe(first);
        }
    }

    [Fact]
    public void Baseline_with_expanded_features_lists_a_named_models_own_features_on_a_real_hypervisor()
    {
        if (!Fixture.IsRealHypervisor)
        {
            return;
        }

        string[] FeaturesOf(string model) =>
        [
            .. XElement.Parse(Conn.BaselineHypervisorCpu(
                    [$"<cpu mode='custom' match='exact'><model>{model}</model></cpu>"], virtType: "qemu", arch: "x86_64", flags: CpuBaselineFlags.ExpandFeatures))
                .Elements("feature").Select(f => (string)f.Attribute("name")!),
        ];

        // libvirt's x86 map: qemu64 carries svm and not vmx; Westmere carries neither, and has sse4.2 where qemu64 has not.
        var qemu64 = FeaturesOf("qemu64");
        qemu64.ShouldContain("svm");
        qemu64.ShouldNotContain("vmx");
        qemu64.ShouldNotContain("sse4.2");
        var westmere = FeaturesOf("Westmere");
        westmere.ShouldContain("sse4.2");
        westmere.ShouldNotContain("svm");
        westmere.ShouldNotContain("vmx");
    }

    protected static bool Eventually(Func<bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (condition())
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return condition();
    }
}

public sealed class TestDriverContractTests(TestDriverFixture fixture) : ConnectionContract(fixture), IClassFixture<TestDriverFixture>;

public sealed class QemuSystemContractTests(QemuSystemFixture fixture) : ConnectionContract(fixture), IClassFixture<QemuSystemFixture>;
