using System.Diagnostics;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Observability;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace BitcoinAutoTrading.Infrastructure.Jobs;

public sealed class JobRunner(
    IJobRunRepository runs,
    INotifier notifier,
    TimeProvider clock,
    IOptions<JobRetryOptions> options,
    ILogger<JobRunner> logger) : IJobRunner
{
    public async Task RunAsync(string job, bool isPastDue, Func<CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        ArgumentNullException.ThrowIfNull(work);
        using var activity = BatTelemetry.ActivitySource.StartActivity($"job {job}");
        activity?.SetTag("job", job);
        activity?.SetTag("job.past_due", isPastDue);
        if (isPastDue)
        {
            logger.LogWarning("Job {Job} is running late (IsPastDue)", job);
        }

        var startedAt = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        // Recording is best effort at the start: when the database is what is failing, the run still happens and
        // is recorded at the end once the database answers again (R4).
        var runId = await TryAsync(() => runs.StartAsync(job, startedAt, isPastDue, cancellationToken), job, "record start").ConfigureAwait(false);

        var attempts = 0;
        Exception? failure = null;
        // One settings snapshot for the whole run, shared by every component that asks (SPEC §5.1).
        using var settingsRun = RiskSettingsRun.Begin();
        try
        {
            await Pipeline(job).ExecuteAsync(async token =>
            {
                attempts++;
                await work(token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = ex;
        }

        var outcome = failure is null ? JobOutcome.Succeeded : JobOutcome.Failed;
        var outcomeTag = failure is null ? "succeeded" : "failed";
        var tags = new TagList { { "job", job }, { "outcome", outcomeTag } };
        BatTelemetry.JobDuration.Record(stopwatch.Elapsed.TotalSeconds, tags);
        BatTelemetry.JobRuns.Add(1, tags);
        activity?.SetTag("outcome", outcomeTag);
        activity?.SetTag("attempts", attempts);

        var error = failure is null ? null : $"{failure.GetType().Name}: {failure.Message}";
        await TryAsync(async () =>
        {
            var id = runId ?? await runs.StartAsync(job, startedAt, isPastDue, CancellationToken.None).ConfigureAwait(false);
            return await runs.FinishAsync(id, outcome, attempts, error, clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }, job, "record outcome").ConfigureAwait(false);

        if (failure is null)
        {
            logger.LogInformation("Job {Job} succeeded after {Attempts} attempt(s) in {ElapsedMs} ms", job, attempts, stopwatch.ElapsedMilliseconds);
            return;
        }

        activity?.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
        logger.LogError(failure, "Job {Job} failed after {Attempts} attempt(s)", job, attempts);
        await notifier.NotifyAsync($"Job {job} failed after {attempts} attempt(s): {failure.GetType().Name}", NotificationSeverity.Critical, CancellationToken.None)
            .ConfigureAwait(false);
        throw new JobFailedException(job, attempts, failure);
    }

    private ResiliencePipeline Pipeline(string job) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(options.Value.MaxRetries, 1),
            Delay = options.Value.FirstRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => options.Value.MaxRetries > 0 && ex is not OperationCanceledException),
            OnRetry = args =>
            {
                logger.LogWarning(args.Outcome.Exception, "Job {Job} attempt {Attempt} failed; retrying in {Delay}", job, args.AttemptNumber + 1, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private async Task<T?> TryAsync<T>(Func<Task<T>> action, string job, string what) where T : struct
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Job {Job}: could not {What} in job_runs", job, what);
            return null;
        }
    }
}

/// <summary>A timer job that failed after all its in-run retries; already recorded and alerted.</summary>
public sealed class JobFailedException(string job, int attempts, Exception inner)
    : Exception($"Job {job} failed after {attempts} attempt(s).", inner)
{
    public string Job { get; } = job;

    public int Attempts { get; } = attempts;
}
