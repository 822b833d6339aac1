using Vireo.Storage.HostFacts;

namespace Vireo.Storage.Tests.HostFacts;

/// <summary>The storage facts' child processes (vgs, ceph) run through ProcessRunner, as every child of the service does.</summary>
public sealed class StorageFactsProcessTests
{
    [Fact]
    public async Task A_child_sees_only_a_minimal_environment_and_none_of_the_services_variables()
    {
        Environment.SetEnvironmentVariable("VIREO_TEST_SECRET", "do-not-pass");
        try
        {
            var (exit, output, _) = await StorageFactsReader.RunAsync("/usr/bin/env", [], TestContext.Current.CancellationToken);

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
    public async Task A_child_that_prints_without_end_is_read_up_to_the_bound()
    {
        // 4 MiB of output: the pipe is drained (the child ends), and 1 MiB of it is kept.
        var (exit, output, _) = await StorageFactsReader.RunAsync("/usr/bin/head", ["-c", "4194304", "/dev/zero"], TestContext.Current.CancellationToken);

        exit.ShouldBe(0);
        output.Length.ShouldBe(1 << 20);
    }
}
