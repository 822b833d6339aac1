using Vireo.Configuration.Catalogue;
using Vireo.Configuration.Loading;

namespace Vireo.Configuration.Tests;

public class CatalogueTests
{
    [Fact]
    public void Every_option_is_declared_once_in_a_known_section_with_help()
    {
        NovaOptions.All.Select(o => o.FullName).ShouldBeUnique();
        NovaOptions.All.SelectMany(o => o.DeprecatedNames).Concat(NovaOptions.All.Select(o => o.FullName)).ShouldBeUnique();
        NovaOptions.All.ShouldAllBe(o => NovaOptions.IsKnownGroup(o.Group) && o.Help.Length > 0 && o.Help.EndsWith('.'));
    }

    [Fact]
    public void Every_default_is_a_valid_value_of_its_option()
    {
        var result = NovaConfig.Load("empty.conf", "");
        result.Errors.ShouldBeEmpty(Fixture.Describe(result));
        foreach (var option in NovaOptions.All.Where(o => o.Choices.Count > 0 && !string.IsNullOrEmpty(o.Default) && !o.IsList))
        {
            option.FindChoice(option.Default!).ShouldNotBeNull(option.ToString());
        }
    }

    [Fact]
    public void Issue_options_are_all_in_the_catalogue()
    {
        string[] expected =
        [
            "[DEFAULT] compute_driver", "[DEFAULT] host", "[DEFAULT] my_ip", "[DEFAULT] state_path", "[DEFAULT] instances_path",
            "[DEFAULT] use_cow_images", "[DEFAULT] force_raw_images", "[DEFAULT] preallocate_images", "[DEFAULT] default_ephemeral_format",
            "[DEFAULT] osapi_compute_listen", "[DEFAULT] osapi_compute_listen_port", "[DEFAULT] debug", "[DEFAULT] log_dir", "[DEFAULT] log_file",
            "[libvirt] virt_type", "[libvirt] connection_uri", "[libvirt] cpu_mode", "[libvirt] cpu_models", "[libvirt] cpu_model_extra_flags",
            "[libvirt] images_type", "[libvirt] images_volume_group", "[libvirt] images_rbd_pool", "[libvirt] images_rbd_ceph_conf",
            "[libvirt] rbd_user", "[libvirt] rbd_secret_uuid", "[libvirt] hw_machine_type", "[libvirt] disk_cachemodes", "[libvirt] hw_disk_discard",
            "[libvirt] mem_stats_period_seconds", "[libvirt] live_migration_uri", "[libvirt] live_migration_scheme",
            "[libvirt] live_migration_inbound_addr", "[libvirt] live_migration_tunnelled", "[libvirt] live_migration_permit_auto_converge",
            "[libvirt] live_migration_permit_post_copy", "[libvirt] live_migration_completion_timeout", "[libvirt] live_migration_downtime",
            "[image_cache] manager_interval", "[image_cache] subdirectory_name", "[image_cache] remove_unused_base_images",
            "[image_cache] remove_unused_original_minimum_age_seconds", "[compute] vmdk_allowed_types", "[database] connection",
            "[keystone_authtoken] auth_url", "[keystone_authtoken] password", "[vireo] installation_id",
        ];
        expected.ShouldBeSubsetOf(NovaOptions.All.Select(o => o.FullName.ToString()));
    }

    [Fact]
    public void Only_secrets_are_marked_secret_and_the_password_is_one()
    {
        NovaOptions.KeystoneAuthToken.Password.Secret.ShouldBe(SecretKind.Whole);
        NovaOptions.Database.Connection.Secret.ShouldBe(SecretKind.UrlPassword);
        NovaOptions.Libvirt.RbdSecretUuid.Secret.ShouldBe(SecretKind.None);
    }

    [Fact]
    public void Implemented_components_match_the_issue()
    {
        Components.Implemented.ShouldBe(
            [Component.Service, Component.Api, Component.LibvirtDriver, Component.ImageBackends, Component.ImageCache, Component.ImageFormats, Component.StateStore, Component.DiskFormatChoice, Component.EphemeralDisks,
                Component.ImageCacheCleaner, Component.LvmStorage, Component.RbdStorage, Component.KeystoneAuth],
            ignoreOrder: true);
    }
}
