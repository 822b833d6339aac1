using Microsoft.Extensions.Time.Testing;
using Vireo.Cli.Serve;
using Vireo.Core.Compute;

namespace Vireo.Api.Tests.Cli;

/// <summary>The periodic passes of serve: off when disabled, none before readiness, one per interval after it, and a failed pass never ends them.</summary>
public sealed class PeriodicPassWorkerTests
{
    private sealed class CountingWorker(ServiceReadiness readiness, TimeSpan? interval, TimeProvider time, Func<int, Exception?> failOn)
        : PeriodicPassWorker(readiness, interval, time)
    {
        public int Passes;
        public int Skipped;
        public int Disabled;
        public List<string> Failures { get; } = [];

        protected override Task RunPassAsync(CancellationToken cancellationToken)
        {
            var pass = Interlocked.Increment(ref Passes);
            return failOn(pass) is { } failure ? Task.FromException(failure) : Task.CompletedTask;
        }

        protected override void ReportDisabled() => Disabled++;

        protected override void ReportSkipped() => Interlocked.Increment(ref Skipped);

        protected override void ReportFailed(Exception failure) => Failures.Add(failure.Message);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the worker did not get there within a minute");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task No_interval_runs_no_pass_and_says_so()
    {
        using var worker = new CountingWorker(ServiceReadiness.Ready(), null, new FakeTimeProvider(), _ => null);

        await worker.StartAsync(TestContext.Current.CancellationToken);
        await worker.ExecuteTask!;

        worker.Disabled.ShouldBe(1);
        worker.Passes.ShouldBe(0);
    }

    [Fact]
    public async Task Passes_wait_for_readiness_and_a_failed_one_does_not_stop_the_next()
    {
        var readiness = new ServiceReadiness();
        using var worker = new CountingWorker(readiness, TimeSpan.FromMilliseconds(10), TimeProvider.System, pass => pass == 1 ? new IOException("store busy") : null);
        await worker.StartAsync(TestContext.Current.CancellationToken);

        await WaitUntilAsync(() => worker.Skipped >= 2);
        worker.Passes.ShouldBe(0);

        readiness.MarkReady();
        await WaitUntilAsync(() => worker.Passes >= 3);
        worker.ExecuteTask!.IsCompleted.ShouldBeFalse("a failed pass ended the worker");
        await worker.StopAsync(TestContext.Current.CancellationToken);

        worker.Failures.ShouldBe(["store busy"]);
        worker.ExecuteTask.IsCompletedSuccessfully.ShouldBeTrue();
    }
}
