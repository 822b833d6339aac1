namespace Vireo.Storage;

/// <summary>What a finished command left behind: its exit status, the head of standard output, the tail of standard error.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs one program by absolute path with an argument array (never a shell): the seam the lvm
/// backend runs lvcreate, qemu-img, blockdev, dd, shred, lvs and lvremove through, so tests
/// check every argument array without running them.
/// </summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}

/// <summary>The real <see cref="ICommandRunner"/>: <see cref="ProcessRunner"/> (prlimit, cleared environment, bounded output) with one set of limits.</summary>
public sealed class LimitedCommandRunner : ICommandRunner
{
    private readonly ProcessRunner _runner;
    private readonly ProcessLimits _limits;

    public LimitedCommandRunner(StorageSettings settings, ProcessLimits limits)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(limits);
        _runner = new ProcessRunner(settings.PrlimitPath);
        _limits = limits;
    }

    public async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync(program, arguments, _limits, onOutput: null, cancellationToken).ConfigureAwait(false);
        return new CommandResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
