using System.Diagnostics;
using BitcoinAutoTrading.Infrastructure.Exchange;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Health;

/// <summary>
/// Runs the six probes concurrently, each under its own timeout, so one slow dependency costs at most one timeout and
/// never hides the others. A probe that throws or overruns is reported with a generic reason (its exception is logged,
/// never returned). Overall state is the worst component's.
/// </summary>
public sealed partial class DetailedHealthChecker(
    HealthProbes probes, IOptions<HealthCheckOptions> options, TimeProvider timeProvider, ILogger<DetailedHealthChecker> logger)
{
    public async Task<DetailedHealthResponse> CheckAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var timeout = options.Value.ProbeTimeout;
        var database = RunAsync("database", probes.DatabaseAsync, HealthProbes.DatabaseFailed, timeout, cancellationToken);
        var upbit = RunAsync("upbit", probes.UpbitAsync, probes.UpbitFailed, timeout, cancellationToken);
        var ai = RunAsync("ai", probes.AiAsync, probes.AiFailed, timeout, cancellationToken);
        var scheduler = RunAsync("scheduler", probes.SchedulerAsync, HealthProbes.SchedulerFailed, timeout, cancellationToken);
        var lastSignal = RunAsync("lastSignal", probes.LastSignalAsync, probes.LastSignalFailed, timeout, cancellationToken);
        var lastOrder = RunAsync("lastOrder", probes.LastOrderAsync, HealthProbes.LastOrderFailed, timeout, cancellationToken);
        await Task.WhenAll(database, upbit, ai, scheduler, lastSignal, lastOrder).ConfigureAwait(false);

        var overall = HealthStatus.Worst([
            database.Result.Status, upbit.Result.Status, ai.Result.Status, scheduler.Result.Status,
            lastSignal.Result.Status, lastOrder.Result.Status]);
        return new DetailedHealthResponse(
            overall, timeProvider.GetUtcNow(), Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
            database.Result, upbit.Result, ai.Result, scheduler.Result, lastSignal.Result, lastOrder.Result);
    }

    private async Task<T> RunAsync<T>(
        string component, Func<CancellationToken, Task<T>> probe, Func<string, T> failed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        Task<T> running;
        try
        {
            running = probe(timeoutSource.Token);
        }
#pragma warning disable CA1031 // A probe's failure is the finding, not an error of the check.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogProbeFailed(logger, ex, component);
            return failed("The check failed; see the logs.");
        }

        try
        {
            // WaitAsync as well as the token: a dependency that ignores cancellation must not hold the response.
            return await running.WaitAsync(timeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException
                                   || (ex is OperationCanceledException && timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            _ = running.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            LogProbeTimedOut(logger, component, timeout.TotalSeconds);
            return failed($"No answer within {timeout.TotalSeconds:0.#} s.");
        }
#pragma warning disable CA1031 // See above.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogProbeFailed(logger, ex, component);
            return failed(TransportFailure.Describe(ex) is { } cause
                ? $"The check failed: {cause}."
                : $"The check failed ({ex.GetType().Name}).");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health probe {Component} failed")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception, string component);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health probe {Component} gave no answer within {TimeoutSeconds} s")]
    private static partial void LogProbeTimedOut(ILogger logger, string component, double timeoutSeconds);
}
