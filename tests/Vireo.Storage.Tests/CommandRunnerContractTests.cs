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
    protected override ICommandRunner Runner { get; } = new FakeCommandRunner((program, arguments) => program switch
    {
        True => new CommandResult(0, "", ""),
        False => new CommandResult(1, "", ""),
        Shell when arguments.SequenceEqual(StreamsScript) => new CommandResult(3, "out", "err"),
        Printf when arguments is ["%s|", ..] => new CommandResult(0, string.Concat(arguments.Skip(1).Select(a => a + "|")), ""),
        _ => new CommandResult(127, "", $"{program}: not a program of the contract"),
    });
}
