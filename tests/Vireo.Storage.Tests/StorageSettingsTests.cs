using CsCheck;
using Vireo.Core;
using Vireo.Storage.Disks;

namespace Vireo.Storage.Tests;

public sealed class StorageSettingsTests
{
    [Fact]
    public void Defaults_follow_nova()
    {
        var settings = new StorageSettings("/var/lib/vireo", "/var/lib/vireo/instances");

        settings.BaseSubdirectory.ShouldBe("_base");
        settings.BaseDirectory.ShouldBe("/var/lib/vireo/instances/_base");
        settings.ImagesDirectory.ShouldBe("/var/lib/vireo/images");
        settings.QemuImgPath.ShouldBe("qemu-img");
        settings.PrlimitPath.ShouldBe("prlimit");
        settings.CpuTimeLimitSeconds.ShouldBe(30);
        settings.AddressSpaceLimitBytes.ShouldBe(2L << 30);
        settings.Validate();
    }

    [Fact]
    public void Images_directory_can_be_set()
    {
        var settings = new StorageSettings("/s", "/i") { ImagesDirectory = "/elsewhere/images" };

        settings.ImagesDirectory.ShouldBe("/elsewhere/images");
    }

    [Fact]
    public void Validation_reports_every_problem_at_once()
    {
        var settings = new StorageSettings("relative", "")
        {
            BaseSubdirectory = "../escape", CpuTimeLimitSeconds = 0, AddressSpaceLimitBytes = -1, ConvertCpuTimeLimitSeconds = 0,
            ImageSizeCapBytes = 0, ImagePropertyQuota = -2, MaxConcurrentUploads = 0,
        };

        var error = Should.Throw<VireoException>(settings.Validate);

        error.Kind.ShouldBe(ErrorKind.Configuration);
        error.Message.ShouldContain("StatePath 'relative' must be an absolute path");
        error.Message.ShouldContain("InstancesPath '' must be an absolute path");
        error.Message.ShouldContain("BaseSubdirectory '../escape'");
        error.Message.ShouldContain("CpuTimeLimitSeconds is 0");
        error.Message.ShouldContain("AddressSpaceLimitBytes is -1");
        error.Message.ShouldContain("ConvertCpuTimeLimitSeconds is 0");
        error.Message.ShouldContain("image_size_cap is 0");
        error.Message.ShouldContain("image_property_quota is -2");
        error.Message.ShouldContain("max_concurrent_uploads is 0");
    }

    [Fact]
    public void Convert_gets_long_but_finite_limits_and_the_other_verbs_novas_short_ones()
    {
        var settings = new StorageSettings("/s", "/s/instances");

        settings.QemuImgLimits.ShouldBe(new ProcessLimits(30, 2L << 30));
        settings.ConvertLimits.CpuSeconds.ShouldBeInRange(3600, 24 * 3600);
        settings.ConvertLimits.AddressSpaceBytes.ShouldBeInRange(4L << 30, 16L << 30);
        settings.ImageSizeCapBytes.ShouldBe(1099511627776);
        settings.ImagePropertyQuota.ShouldBe(128);
        settings.MaxConcurrentUploads.ShouldBe(4);
    }

    [Fact]
    public void Base_cache_file_name_is_the_sha1_of_the_image_id_string()
    {
        // hashlib.sha1(b"6d0fdc45-6ecb-4f5b-a7e4-03cb7d1e2e0e").hexdigest()
        BaseImageCache.CacheFileName(Guid.Parse("6d0fdc45-6ecb-4f5b-a7e4-03cb7d1e2e0e"))
            .ShouldBe("c2e8acef8296b12293d9ee32050eb6d3b0fe36fb");
    }

    [Fact]
    public void Instance_directory_names_round_trip_and_nothing_else_parses()
    {
        Gen.Guid.Sample(id => InstanceDisks.ParseInstanceDirectoryName(id.ToString("D")) == id);
        Gen.String.Sample(name => InstanceDisks.ParseInstanceDirectoryName(name) is not { } id || id.ToString("D") == name);
        InstanceDisks.ParseInstanceDirectoryName("_base").ShouldBeNull();
        InstanceDisks.ParseInstanceDirectoryName(Guid.Empty.ToString("N")).ShouldBeNull();
        InstanceDisks.ParseInstanceDirectoryName("6D0FDC45-6ECB-4F5B-A7E4-03CB7D1E2E0E").ShouldBeNull();
    }
}
