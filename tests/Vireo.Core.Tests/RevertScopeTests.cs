using Vireo.Core.Compute;

namespace Vireo.Core.Tests;

public sealed class RevertScopeTests
{
    [Fact]
    public async Task Reverting_runs_the_undos_newest_first()
    {
        var log = new List<string>();
        await using var scope = new RevertScope();
        scope.Add("one", () => Log(log, "one"));
        scope.Add("two", () => Log(log, "two"));
        scope.Add("three", () => Log(log, "three"));

        (await scope.RevertAsync()).ShouldBeEmpty();

        log.ShouldBe(["three", "two", "one"]);
    }

    [Fact]
    public async Task A_failing_undo_is_collected_and_the_others_still_run()
    {
        var log = new List<string>();
        await using var scope = new RevertScope();
        scope.Add("one", () => Log(log, "one"));
        scope.Add("two", () => throw new InvalidOperationException("cannot"));
        scope.Add("three", () => Log(log, "three"));

        var failures = await scope.RevertAsync();

        log.ShouldBe(["three", "one"]);
        failures.Count.ShouldBe(1);
        failures[0].Description.ShouldBe("two");
        failures[0].Exception.Message.ShouldBe("cannot");
    }

    [Fact]
    public async Task A_committed_scope_undoes_nothing_even_when_disposed()
    {
        var log = new List<string>();
        await using (var scope = new RevertScope())
        {
            scope.Add("one", () => Log(log, "one"));
            scope.Commit();
        }

        log.ShouldBeEmpty();
    }

    [Fact]
    public async Task Disposing_an_uncommitted_scope_reverts_it_once()
    {
        var log = new List<string>();
        var scope = new RevertScope();
        scope.Add("one", () => Log(log, "one"));
        await scope.RevertAsync();
        await scope.DisposeAsync();
        log.ShouldBe(["one"]);
    }

    private static Task Log(List<string> log, string entry)
    {
        log.Add(entry);
        return Task.CompletedTask;
    }
}
