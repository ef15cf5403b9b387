namespace BitcoinAutoTrading.Core.Jobs;

/// <summary>
/// Runs one timer job the way SPEC §2.1 asks: transient failures retried 3 times (1 s, 2 s, 4 s) inside the run,
/// every run recorded in <c>job_runs</c> with its attempts, a span and metrics per run, and a Slack alert after the
/// final failure. The final failure is rethrown so the Functions host marks the invocation failed too.
/// </summary>
public interface IJobRunner
{
    Task RunAsync(string job, bool isPastDue, Func<CancellationToken, Task> work, CancellationToken cancellationToken = default);
}
