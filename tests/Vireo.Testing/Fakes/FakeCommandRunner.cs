using Vireo.Storage;

namespace Vireo.Testing.Fakes;

/// <summary>
/// A fake <see cref="ICommandRunner"/>: records every program and argument array, runs nothing,
/// and answers each call with <c>answer</c> (exit 0 and no output when it returns null). It
/// refuses a program that is not an absolute path, as the real runner does. Held to
/// <c>Contracts/CommandRunnerContract</c> like Storage's LimitedCommandRunner: exit codes and both
/// streams given back as the program left them, argument arrays passed verbatim.
/// </summary>
public sealed class FakeCommandRunner(Func<string, IReadOnlyList<string>, CommandResult?>? answer = null) : ICommandRunner
{
    private readonly List<string[]> _calls = [];

    /// <summary>Each call as [program, arguments...].</summary>
    public IReadOnlyList<string[]> Calls => _calls;

    public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (!Path.IsPathFullyQualified(program))
        {
            throw new ArgumentException($"child processes are started by absolute path only; got '{program}'", nameof(program));
        }

        _calls.Add([program, .. arguments]);
        return Task.FromResult(answer?.Invoke(program, arguments) ?? new CommandResult(0, "", ""));
    }
}
