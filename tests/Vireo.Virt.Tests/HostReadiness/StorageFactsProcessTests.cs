namespace Vireo.Virt.Tests.HostReadiness;

/// <summary>The host check's child processes (vgs, ceph) run as every child of the service does.</summary>
public sealed class StorageFactsProcessTests
{
    [Fact]
    public void A_child_sees_only_a_minimal_environment_and_none_of_the_services_variables()
    {
        Environment.SetEnvironmentVariable("VIREO_TEST_SECRET", "do-not-pass");
        try
        {
            var (exit, output, _) = Vireo.Virt.HostReadiness.StorageFactsReader.Run("/usr/bin/env", []);

            exit.ShouldBe(0);
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order()
                .ShouldBe(["LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("VIREO_TEST_SECRET", null);
        }
    }

    [Fact]
    public void A_child_that_prints_without_end_is_read_up_to_the_bound()
    {
        // 4 MiB of output: the pipe is drained (the child ends), and 1 MiB of it is kept.
        var (exit, output, _) = Vireo.Virt.HostReadiness.StorageFactsReader.Run("/usr/bin/head", ["-c", "4194304", "/dev/zero"]);

        exit.ShouldBe(0);
        output.Length.ShouldBe(1 << 20);
    }
}
