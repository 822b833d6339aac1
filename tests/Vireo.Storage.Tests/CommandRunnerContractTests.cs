using Vireo.Testing.Contracts;
using Vireo.Testing.Fakes;

namespace Vireo.Storage.Tests;

/// <summary>The real command runner (ProcessRunner under prlimit, the lvm backend's) keeps the command runner contract.</summary>
public sealed class LimitedCommandRunnerContractTests : CommandRunnerContract
{
    protected override ICommandRunner Runner { get; } = new LimitedCommandRunner(new StorageSettings("/nonexistent/state", "/nonexistent/instances"), new ProcessLimits(CpuSeconds: 10, AddressSpaceBytes: 1L << 30));
}

/// <summary>
/// The fake command runner keeps the same contract when its answer says what the contract's programs
/// do: it hands the answer back untouched and passes the argument array to it verbatim.
/// </summary>
public sealed class FakeCommandRunnerContractTests : CommandRunnerContract
{
    protected override ICommandRunner Runner { get; } = ContractPrograms();

    /// <summary>A fake whose answer says what the contract's programs do.</summary>
    public static FakeCommandRunner ContractPrograms() => new((program, arguments) => program switch
    {
        True => new CommandResult(0, "", ""),
        False => new CommandResult(1, "", ""),
        Shell when arguments.SequenceEqual(StreamsScript) => new CommandResult(3, "out", "err"),
        Printf when arguments is ["%s|", ..] => new CommandResult(0, string.Concat(arguments.Skip(1).Select(a => a + "|")), ""),
        _ => new CommandResult(127, "", $"{program}: not a program of the contract"),
    });
}

/// <summary>
/// The command runner contract is not vacuous: a runner that joins the argument array into one
/// shell line, one that trims what the program printed, and one that turns a failure into an
/// exception each fail the assertion that names it. The wrong runners are private, so they never
/// run as contract suites.
/// </summary>
public sealed class CommandRunnerContractCatchesWrongRunnersTests
{
    [Fact]
    public async Task A_runner_that_splits_arguments_as_a_shell_does_fails_the_contract()
    {
        var contract = new Wrong(new ShellLike(FakeCommandRunnerContractTests.ContractPrograms()));

        (await FailureOf(contract.Every_argument_reaches_the_program_verbatim_as_one_argument)).ShouldBeOfType<ShouldAssertException>();
    }

    [Fact]
    public async Task A_runner_that_trims_or_merges_the_output_fails_the_contract()
    {
        var contract = new Wrong(new Merging(FakeCommandRunnerContractTests.ContractPrograms()));

        (await FailureOf(contract.Standard_output_and_standard_error_are_kept_apart_with_the_exit_code)).ShouldBeOfType<ShouldAssertException>();
    }

    [Fact]
    public async Task A_runner_that_throws_on_a_failed_program_fails_the_contract()
    {
        var contract = new Wrong(new Throwing(FakeCommandRunnerContractTests.ContractPrograms()));

        (await FailureOf(contract.A_program_that_fails_gives_its_exit_code_back_instead_of_throwing)).ShouldBeOfType<InvalidOperationException>();
    }

    /// <summary>What the contract assertion threw; Shouldly's own failures pass through Should.ThrowAsync, so they are caught here.</summary>
    private static async Task<Exception?> FailureOf(Func<Task> assertion)
    {
        try
        {
            await assertion();
            return null;
        }
        catch (Exception e) when (e is ShouldAssertException or InvalidOperationException)
        {
            return e;
        }
    }

    private sealed class Wrong(ICommandRunner runner) : CommandRunnerContract
    {
        protected override ICommandRunner Runner => runner;
    }

    /// <summary>Joins the arguments with spaces and splits them again, dropping empty ones, as an unquoted shell line would.</summary>
    private sealed class ShellLike(ICommandRunner inner) : ICommandRunner
    {
        public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
            inner.RunAsync(program, string.Join(' ', arguments).Split(' ', StringSplitOptions.RemoveEmptyEntries), cancellationToken);
    }

    private sealed class Merging(ICommandRunner inner) : ICommandRunner
    {
        public async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        {
            var result = await inner.RunAsync(program, arguments, cancellationToken);
            return result with { StandardOutput = (result.StandardOutput + result.StandardError).Trim(), StandardError = "" };
        }
    }

    private sealed class Throwing(ICommandRunner inner) : ICommandRunner
    {
        public async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        {
            var result = await inner.RunAsync(program, arguments, cancellationToken);
            return result.ExitCode == 0 ? result : throw new InvalidOperationException($"{program} exited with {result.ExitCode}");
        }
    }
}
