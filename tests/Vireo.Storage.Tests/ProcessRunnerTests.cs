using Vireo.Core;

namespace Vireo.Storage.Tests;

/// <summary>The storage layer's one process runner: prlimit, absolute paths, a cleared environment, bounded output.</summary>
public sealed class ProcessRunnerTests
{
    private static readonly ProcessLimits Generous = new(30, 2L << 30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Prlimit_gets_the_limits_then_a_separator_then_the_program_and_its_arguments()
    {
        var arguments = ProcessRunner.PrlimitArguments(new ProcessLimits(30, 2147483648), "/usr/bin/qemu-img", ["info", "-f", "raw", "/x"]);

        arguments.ShouldBe(["--cpu=30", "--as=2147483648", "--", "/usr/bin/qemu-img", "info", "-f", "raw", "/x"]);
    }

    [Fact]
    public void The_start_info_runs_prlimit_by_absolute_path_with_only_path_and_locale_in_the_environment()
    {
        var info = ProcessRunner.StartInfo("/usr/bin/prlimit", Generous, "/usr/bin/qemu-img", ["info"]);

        info.FileName.ShouldBe("/usr/bin/prlimit");
        info.UseShellExecute.ShouldBeFalse();
        info.ArgumentList.ShouldBe(["--cpu=30", "--as=2147483648", "--", "/usr/bin/qemu-img", "info"]);
        info.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")
            .ShouldBe(["LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"]);
    }

    [Theory]
    [InlineData("qemu-img")]
    [InlineData("bin/qemu-img")]
    public void A_program_that_is_not_an_absolute_path_is_refused(string program)
    {
        Should.Throw<ArgumentException>(() => ProcessRunner.StartInfo("/usr/bin/prlimit", Generous, program, []));
    }

    [Fact]
    public async Task The_child_sees_none_of_the_services_environment()
    {
        var variable = "VIREO_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "must-not-leak");
        try
        {
            var result = await new ProcessRunner("prlimit").RunAsync("/usr/bin/env", [], Generous, null, Ct);

            result.ExitCode.ShouldBe(0, result.StandardError);
            result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)
                .ShouldBe(["LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task The_child_runs_under_the_cpu_and_address_space_limits()
    {
        var result = await new ProcessRunner("prlimit").RunAsync("/bin/sh", ["-c", "ulimit -t; ulimit -v"], new ProcessLimits(7, 512L << 20), null, Ct);

        result.ExitCode.ShouldBe(0, result.StandardError);
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["7", (512 << 10).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    [Fact]
    public async Task A_child_spinning_past_its_cpu_limit_is_killed_by_a_signal()
    {
        var result = await new ProcessRunner("prlimit").RunAsync("/bin/sh", ["-c", "while :; do :; done"], new ProcessLimits(1, 512L << 20), null, Ct);

        // SIGXCPU (24) at the soft limit, SIGKILL (9) at the hard one: both end it.
        result.ExitCode.ShouldBeOneOf(128 + 24, 128 + 9);
    }

    [Fact]
    public async Task Output_is_read_to_the_end_but_kept_up_to_the_limit_the_head_of_stdout_and_the_tail_of_stderr()
    {
        const string script = "head -c 200000 /dev/zero | tr '\\0' a; head -c 200000 /dev/zero | tr '\\0' b >&2; echo LAST-LINE >&2";
        var chunks = 0L;

        var result = await new ProcessRunner("prlimit", outputLimit: 1000).RunAsync("/bin/sh", ["-c", script], Generous, chunk => chunks += chunk.Length, Ct);

        result.ExitCode.ShouldBe(0);
        result.StandardOutput.ShouldBe(new string('a', 1000));
        result.OutputTruncated.ShouldBeTrue();
        result.StandardError.Length.ShouldBe(1000);
        result.StandardError.ShouldEndWith("LAST-LINE\n");
        chunks.ShouldBe(200000, "the progress callback sees every chunk, whatever is kept");
    }

    [Fact]
    public async Task A_missing_prlimit_is_a_configuration_error_naming_util_linux()
    {
        var error = await Should.ThrowAsync<VireoException>(() => new ProcessRunner("/nonexistent/prlimit").RunAsync("/bin/true", [], Generous, null, Ct));

        error.Kind.ShouldBe(ErrorKind.Configuration);
        error.Message.ShouldContain("util-linux");
    }

    [Fact]
    public void Bare_names_resolve_in_the_system_directories_only_and_a_missing_program_names_its_package()
    {
        Executables.Resolve("prlimit", "util-linux", "the prlimit path").ShouldBe("/usr/bin/prlimit");
        Executables.Resolve("/usr/bin/qemu-img", "qemu-utils", "the qemu-img path").ShouldBe("/usr/bin/qemu-img");

        var missing = Should.Throw<VireoException>(() => Executables.Resolve("no-such-tool-" + Guid.NewGuid().ToString("N"), "some-package", "the tool path"));
        missing.Kind.ShouldBe(ErrorKind.Configuration);
        missing.Message.ShouldContain("install the Debian package some-package");
        Should.Throw<VireoException>(() => Executables.Resolve("bin/prlimit", "util-linux", "the prlimit path")).Message.ShouldContain("absolute path");
    }
}
