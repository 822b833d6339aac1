using System.Net;
using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Loading;
using Vireo.Configuration.Options;
using Vireo.Configuration.Parsing;
using Vireo.Core;

namespace Vireo.Configuration.Tests;

public class LoaderTests
{
    private static VireoOptions Options(string text, LoadSettings? settings = null)
    {
        var result = Fixture.Text(text, settings);
        result.Errors.ShouldBeEmpty(Fixture.Describe(result));
        return result.Options!;
    }

    private static ConfigurationResult Files(params string[] texts) =>
        NovaConfig.Load(texts.Select((t, i) => new ConfigSource($"f{i + 1}.conf", t)));

    [Fact]
    public void No_file_gives_Vireo_defaults()
    {
        var options = Options("");
        options.Default.StatePath.ShouldBe("/var/lib/nova");
        options.Default.InstancesPath.ShouldBe("/var/lib/nova/instances");
        options.Default.OsapiComputeListen.ShouldBe("127.0.0.1");
        options.Default.OsapiComputeListenPort.ShouldBe(8774);
        options.Libvirt.VirtType.ShouldBe(VirtType.Kvm);
        options.Libvirt.CpuMode.ShouldBeNull();
        options.Libvirt.ImagesType.ShouldBe(ImagesType.Qcow2);
        options.Libvirt.EffectiveConnectionUri.ShouldBe("qemu:///system");
        options.Database.Engine.ShouldBe(DatabaseEngine.Sqlite);
        options.Database.SqlitePath.ShouldBe("/var/lib/nova/vireo.sqlite");
        options.Compute.VmdkAllowedTypes.ShouldBe(["streamOptimized", "monolithicSparse"]);
    }

    [Fact]
    public void Repeated_single_valued_key_keeps_last_value_and_warns_in_the_same_file()
    {
        var result = Fixture.Text("[libvirt]\nvirt_type = kvm\nvirt_type = qemu\n");
        result.Options!.Libvirt.VirtType.ShouldBe(VirtType.Qemu);
        var warning = result.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(DiagnosticCodes.RepeatedOption);
        warning.Location!.Line.ShouldBe(2);
    }

    [Fact]
    public void Later_file_overrides_earlier_file_without_a_warning()
    {
        var result = Files("[libvirt]\nvirt_type = qemu\n", "[libvirt]\nvirt_type = kvm\n");
        result.Warnings.ShouldBeEmpty();
        result.Options!.Libvirt.VirtType.ShouldBe(VirtType.Kvm);
        result.Effective.Single(e => e.Option == NovaOptions.Libvirt.VirtType).Source.ShouldBe("f2.conf:2");
    }

    [Fact]
    public void Multi_valued_option_accumulates_over_repeated_keys_and_files()
    {
        var result = Files("[DEFAULT]\nvirt_mkfs = linux=mkfs.ext4 %(target)s\nvirt_mkfs = windows=mkfs.ntfs %(target)s\n", "[DEFAULT]\nvirt_mkfs = other=mkfs.xfs %(target)s\n");
        result.Options!.Default.VirtMkfs.Keys.ShouldBe(["linux", "windows", "other"]);
        result.Warnings.ShouldAllBe(w => w.Code == DiagnosticCodes.NotImplemented);
        result.Effective.Single(e => e.Option == NovaOptions.Default.VirtMkfs).Source.ShouldBe("f1.conf:2, f1.conf:3, f2.conf:2");
    }

    [Fact]
    public void Current_name_wins_over_deprecated_name_in_one_file_but_a_later_file_wins_over_both()
    {
        Options("[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model = Nehalem\n").Libvirt.CpuModels.ShouldBe(["Haswell"]);
        var result = Files("[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n", "[libvirt]\ncpu_model = Nehalem\n");
        result.Options!.Libvirt.CpuModels.ShouldBe(["Nehalem"]);
        result.Warnings.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.DeprecatedName);
    }

    [Fact]
    public void Deprecated_name_in_another_section_is_read_with_a_warning_naming_the_replacement()
    {
        var result = Fixture.Text("[DEFAULT]\nimage_cache_manager_interval = 60\n");
        result.Options!.ImageCache.ManagerIntervalSeconds.ShouldBe(60);
        result.Warnings.Single(w => w.Code == DiagnosticCodes.DeprecatedName).Message.ShouldContain("[image_cache] manager_interval");
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("Yes", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("No", false)]
    [InlineData("OFF", false)]
    [InlineData("0", false)]
    public void Booleans_accept_oslo_spellings_in_any_case(string text, bool expected) =>
        Options($"[DEFAULT]\ndebug = {text}\n").Default.Debug.ShouldBe(expected);

    [Fact]
    public void Dollar_names_refer_to_options_of_the_same_section_or_DEFAULT()
    {
        var options = Options("[DEFAULT]\nstate_path = /srv/nova\nhost = node1\nmy_ip = 192.0.2.7\n[image_cache]\nsubdirectory_name = _base_${host}\n[libvirt]\nlive_migration_inbound_addr = $my_ip\nimages_volume_group = ${image_cache.subdirectory_name}-vg\n");
        options.Default.InstancesPath.ShouldBe("/srv/nova/instances");
        options.ImageCache.SubdirectoryName.ShouldBe("_base_node1");
        options.Libvirt.LiveMigration.InboundAddress.ShouldBe("192.0.2.7");
        options.Libvirt.ImagesVolumeGroup.ShouldBe("_base_node1-vg");
    }

    [Fact]
    public void Double_dollar_and_backslash_dollar_are_literal_and_a_dollar_before_no_name_stays()
    {
        var options = Options("[keystone_authtoken]\nauth_url = http://k:5000\nproject_name = service\npassword = a$$b\\$c$5${\nusername = $\n");
        options.KeystoneAuthToken.Password.ShouldBe("a$b$c$5${");
        options.KeystoneAuthToken.Username.ShouldBe("$");
    }

    [Fact]
    public void Interpolation_sees_the_value_from_the_winning_file()
    {
        var result = Files("[DEFAULT]\nstate_path = /a\ninstances_path = $state_path/i\n", "[DEFAULT]\nstate_path = /b\n");
        result.Options!.Default.InstancesPath.ShouldBe("/b/i");
    }

    [Fact]
    public void Dynamic_defaults_come_from_the_load_settings()
    {
        var options = Options("[image_cache]\nsubdirectory_name = _base_$my_ip\n", new LoadSettings { HostIp = "192.0.2.9" });
        options.ImageCache.SubdirectoryName.ShouldBe("_base_192.0.2.9");
        options.Default.MyIp.ShouldBeNull();
    }

    [Fact]
    public void A_reference_to_no_option_is_an_error_that_suggests_the_name()
    {
        var error = Fixture.Text("[DEFAULT]\ninstances_path = $stat_path/instances\n").Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(DiagnosticCodes.UnknownReference);
        error.ToString().ShouldBe("nova.conf:2: [DEFAULT] instances_path = $stat_path/instances refers to $stat_path, which is not an option of [DEFAULT] (did you mean $state_path?); correct the name, or write $$ for a literal '$'");
    }

    [Fact]
    public void A_reference_cycle_is_one_error()
    {
        var result = Fixture.Text("[DEFAULT]\nstate_path = $instances_path\n");
        result.Errors.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.ReferenceCycle);
    }

    [Fact]
    public void A_value_built_from_an_invalid_value_is_not_reported_twice()
    {
        var result = Fixture.Text("[DEFAULT]\nstate_path = relative\n");
        result.Errors.ShouldHaveSingleItem().Key.ShouldBe("state_path");
    }

    [Theory]
    [InlineData("[libvirt]\nimages_type = qcow2\n")]
    [InlineData("[libvirt]\nimages_type = flat\n")]
    [InlineData("[DEFAULT]\nuse_cow_images = false\n")]
    public void Images_type_and_use_cow_images_are_acted_on_and_do_not_warn(string text)
    {
        Fixture.Text(text).Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Images_type_is_kept_as_written_for_the_choice_of_the_image_backend()
    {
        Options("[libvirt]\nimages_type = raw\n").Libvirt.ImagesTypeName.ShouldBe("raw");
        Options("").Libvirt.ImagesTypeName.ShouldBe("default");
    }

    [Fact]
    public void Images_type_default_follows_use_cow_images_and_raw_means_flat()
    {
        Options("[DEFAULT]\nuse_cow_images = false\n").Libvirt.ImagesType.ShouldBe(ImagesType.Flat);
        var raw = Fixture.Text("[libvirt]\nimages_type = raw\n");
        raw.Options!.Libvirt.ImagesType.ShouldBe(ImagesType.Flat);
        raw.Warnings.Single(w => w.Code == DiagnosticCodes.DeprecatedValue).Message.ShouldContain("images_type = flat");
    }

    [Fact]
    public void Unknown_keys_warn_with_the_line_and_never_echo_the_value()
    {
        var result = Fixture.Text("[DEFAULT]\ntransport_url = rabbit://u:hunter2@h//\n[libvirt]\ncpu_mdoe = custom\n[neutron]\npassword = hunter3\n");
        result.Errors.ShouldBeEmpty();
        result.Warnings.Select(w => (w.Location!.Line, w.Key)).ShouldBe([(2, "transport_url"), (4, "cpu_mdoe")]);
        result.Warnings[1].Message.ShouldContain("did you mean cpu_mode?");
        result.Warnings.ShouldAllBe(w => !w.Message.Contains("hunter", StringComparison.Ordinal));
    }

    [Fact]
    public void Option_set_in_the_wrong_section_names_the_right_one()
    {
        Fixture.Text("[DEFAULT]\nvirt_type = qemu\n").Warnings.ShouldHaveSingleItem().Message
            .ShouldBe("[DEFAULT] virt_type is a [libvirt] option, so here it is ignored (as Nova would ignore it); move it under [libvirt]");
    }

    [Fact]
    public void Lower_case_default_section_is_ignored_as_oslo_does_but_with_a_warning()
    {
        var result = Fixture.Text("[default]\nstate_path = /srv\n");
        result.Options!.Default.StatePath.ShouldBe("/var/lib/nova");
        result.Warnings.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.SectionCase);
    }

    [Fact]
    public void Unknown_sections_are_ignored_silently()
    {
        var result = Fixture.Text("[oslo_messaging_rabbit]\nanything = goes\n[pci]\ndevice_spec = {}\ndevice_spec = {}\n");
        result.Errors.ShouldBeEmpty();
        result.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Option_whose_consumer_is_missing_warns_not_implemented_only_when_set()
    {
        Fixture.Text("").Warnings.ShouldBeEmpty();
        var result = Fixture.Text("[libvirt]\nlive_migration_downtime = 500\n");
        result.Warnings.ShouldHaveSingleItem().Message.ShouldContain("not implemented yet");
        var implemented = new HashSet<Component>(Components.Implemented) { Component.LiveMigration };
        Fixture.Text("[libvirt]\nlive_migration_downtime = 500\n", new LoadSettings { Implemented = implemented }).Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("DEFAULT", "log_dir", "/var/log/nova", "logs to standard error")]
    [InlineData("DEFAULT", "log_file", "nova-compute.log", "logs to standard error")]
    public void Option_nothing_acts_on_yet_warns_that_it_has_no_effect_and_to_remove_it(string group, string name, string value, string why)
    {
        var warning = Fixture.Text($"[{group}]\n{name} = {value}\n").Warnings.ShouldHaveSingleItem();

        warning.Code.ShouldBe(DiagnosticCodes.NotImplemented);
        warning.Message.ShouldStartWith($"[{group}] {name} is set but not implemented yet");
        warning.Message.ShouldContain(why);
        warning.Message.ShouldContain("has no effect");
        warning.Message.ShouldEndWith("remove it to silence this warning");
    }

    [Fact]
    public void Options_that_only_the_configuration_layer_acts_on_do_not_warn()
    {
        Fixture.Text("[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\nmy_ip = 192.0.2.10\ndebug = true\n").Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Strict_turns_every_warning_into_an_error()
    {
        var result = Fixture.Text("[DEFAULT]\ntransport_url = x\n", new LoadSettings { Strict = true });
        result.Warnings.ShouldBeEmpty();
        result.Errors.ShouldHaveSingleItem().Severity.ShouldBe(DiagnosticSeverity.Error);
        result.Options.ShouldBeNull();
    }

    [Fact]
    public void Errors_are_ordered_by_file_then_line()
    {
        var result = Files("[libvirt]\nvirt_type = xen\n[DEFAULT]\ndebug = maybe\n", "[DEFAULT]\nmy_ip = nowhere\n");
        result.Errors.Select(e => e.Location!.ToString()).ShouldBe(["f1.conf:2", "f1.conf:4", "f2.conf:2"]);
    }

    [Fact]
    public void Inline_comment_on_a_valid_value_is_a_warning_and_on_an_invalid_one_a_hint()
    {
        Fixture.Text("[DEFAULT]\nhost = node1 # the first\n").Warnings.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.InlineComment);
        Fixture.Text("[DEFAULT]\ndebug = true # on\n").Errors.ShouldHaveSingleItem().Message.ShouldContain("a comment must be on its own line");
    }

    [Fact]
    public void Extra_flags_are_lower_cased_with_their_policy_and_duplicates_removed()
    {
        Options("[libvirt]\ncpu_model_extra_flags = PCID, +ssbd, -MPX, pcid\n").Libvirt.CpuModelExtraFlags.ShouldBe(
        [
            new CpuFeatureFlag("pcid", CpuFeaturePolicy.Require),
            new CpuFeatureFlag("ssbd", CpuFeaturePolicy.Require),
            new CpuFeatureFlag("mpx", CpuFeaturePolicy.Disable),
        ]);
    }

    [Fact]
    public void A_deployed_file_gives_typed_options()
    {
        var options = Fixture.Load("good/openstack-deployed.conf").Options!;
        options.Default.Host.ShouldBe("compute-31.cloud.example.net");
        options.Default.MyIp.ShouldBe(IPAddress.Parse("10.20.0.31"));
        options.Default.InstancesPath.ShouldBe("/var/lib/nova/instances");
        options.Default.VirtMkfs.Count.ShouldBe(2);
        options.Libvirt.CpuMode.ShouldBe(CpuMode.Custom);
        options.Libvirt.CpuModels.ShouldBe(["Cascadelake-Server-noTSX", "Icelake-Server-noTSX"]);
        options.Libvirt.HwMachineType["x86_64"].ShouldBe("q35");
        options.Libvirt.DiskCachemodes.ShouldBe(new Dictionary<string, string> { ["file"] = "directsync", ["block"] = "none" });
        options.Libvirt.LiveMigration.PermitPostCopy.ShouldBeTrue();
        options.Database.Engine.ShouldBe(DatabaseEngine.MySql);
        options.Database.SqlitePath.ShouldBe("/var/lib/nova/vireo.sqlite");
        options.KeystoneAuthToken.MemcachedServers.Count.ShouldBe(3);
    }
}
