using Shouldly;
using Vireo.Storage;
using Xunit;

namespace Vireo.Testing.Contracts;

/// <summary>
/// What the lvm backend relies on from <see cref="ICommandRunner"/>, asserted the same way for the
/// fake and for Storage's LimitedCommandRunner over ProcessRunner: the exit code given back (a
/// failure is a result, not an exception), standard output and standard error kept apart and
/// whole, every argument passed verbatim as one argument (no shell: spaces, empty strings, quotes,
/// globs and <c>$</c> reach the program untouched), and a program that is not an absolute path
/// refused before anything runs. The programs are the host's <see cref="True"/>,
/// <see cref="False"/>, <see cref="Shell"/> and <see cref="Printf"/>; a fake answers for them.
/// </summary>
public abstract class CommandRunnerContract
{
    public const string True = "/bin/true";
    public const string False = "/bin/false";
    public const string Shell = "/bin/sh";
    public const string Printf = "/usr/bin/printf";

    /// <summary>The script <see cref="Shell"/> runs: <c>out</c> on stdout, <c>err</c> on stderr, exit 3.</summary>
    public static readonly string[] StreamsScript = ["-c", "printf out; printf err >&2; exit 3"];

    /// <summary>Arguments a shell would split, expand or unquote.</summary>
    public static readonly string[] AwkwardArguments = ["a b", "", "$HOME", "*", "'q'", "\"dq\"", "--", "-n", "x;y"];

    protected abstract ICommandRunner Runner { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 60_000)]
    public async Task A_program_that_succeeds_gives_exit_zero_and_no_output()
    {
        (await Runner.RunAsync(True, [], Ct)).ShouldBe(new CommandResult(0, "", ""));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_program_that_fails_gives_its_exit_code_back_instead_of_throwing()
    {
        (await Runner.RunAsync(False, [], Ct)).ExitCode.ShouldBe(1);
    }

    [Fact(Timeout = 60_000)]
    public async Task Standard_output_and_standard_error_are_kept_apart_with_the_exit_code()
    {
        (await Runner.RunAsync(Shell, StreamsScript, Ct)).ShouldBe(new CommandResult(3, "out", "err"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_argument_reaches_the_program_verbatim_as_one_argument()
    {
        var result = await Runner.RunAsync(Printf, ["%s|", .. AwkwardArguments], Ct);

        result.ExitCode.ShouldBe(0);
        result.StandardOutput.ShouldBe(string.Concat(AwkwardArguments.Select(a => a + "|")));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_program_that_is_not_an_absolute_path_is_refused()
    {
        await Should.ThrowAsync<ArgumentException>(async () => await Runner.RunAsync("true", [], Ct));
    }
}
