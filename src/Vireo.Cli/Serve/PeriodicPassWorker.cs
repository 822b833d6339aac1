using Microsoft.Extensions.Hosting;
using Vireo.Core.Compute;

namespace Vireo.Cli.Serve;

/// <summary>
/// A periodic pass of <c>vireo serve</c>: every <paramref name="interval"/> (none: disabled), the
/// first one interval after start so start-up is never held up, each skipped while start-up
/// reconciliation has not run (until then rows of interrupted builds are not settled). A failed
/// pass is reported and the next one reads everything again: a pass never stops the service.
/// </summary>
public abstract class PeriodicPassWorker(ServiceReadiness readiness, TimeSpan? interval, TimeProvider time) : BackgroundService
{
    /// <summary>Runs one pass.</summary>
    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    /// <summary>Says that no pass runs (the interval is off).</summary>
    protected abstract void ReportDisabled();

    /// <summary>Says how often the pass runs.</summary>
    protected virtual void ReportScheduled(TimeSpan every)
    {
    }

    /// <summary>Says that a pass was skipped because start-up reconciliation has not run.</summary>
    protected virtual void ReportSkipped()
    {
    }

    /// <summary>Says that a pass failed and what the next one does.</summary>
    protected abstract void ReportFailed(Exception failure);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval is not { } every)
        {
            ReportDisabled();
            return;
        }

        ReportScheduled(every);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, stoppingToken).ConfigureAwait(false);
                if (!readiness.IsReady)
                {
                    ReportSkipped();
                    continue;
                }

                await RunPassAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
            {
                ReportFailed(failure);
            }
        }
    }
}
