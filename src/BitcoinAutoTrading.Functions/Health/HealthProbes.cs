using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Infrastructure.Ai.Gemini;
using BitcoinAutoTrading.Infrastructure.Exchange;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BitcoinAutoTrading.Functions.Health;

/// <summary>
/// The six checks behind GET /api/health/detailed. Each reads one dependency and says what it found; timeouts and
/// failures are handled by <see cref="DetailedHealthChecker"/>, which runs them side by side.
/// </summary>
public sealed class HealthProbes(
    NpgsqlDataSource dataSource,
    IExchange exchange,
    IExchangeHealth exchangeHealth,
    IOptions<GeminiOptions> gemini,
    IJobRunRepository jobRuns,
    ISignalRepository signals,
    IOrderRepository orders,
    IConfiguration configuration,
    IOptions<TradingOptions> trading,
    IOptions<HealthCheckOptions> options,
    TimeProvider timeProvider)
{
    private readonly TradingOptions _market = trading.Value;

    public async Task<DatabaseHealth> DatabaseAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return new DatabaseHealth(HealthStatus.Healthy, ElapsedMs(started), null);
    }

    public static DatabaseHealth DatabaseFailed(string detail) => new(HealthStatus.Unhealthy, null, detail);

    /// <summary>A 418 block means every exchange call is refused until it lifts: nothing can trade or exit.</summary>
    public async Task<UpbitHealth> UpbitAsync(CancellationToken cancellationToken)
    {
        var snapshot = await exchangeHealth.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var mode = Mode();
        if (snapshot.IsBlocked)
        {
            return new UpbitHealth(HealthStatus.Unhealthy, mode, true, snapshot.BlockedUntil, snapshot.LastStatusCode,
                snapshot.LastResponseAt, null, null, "Upbit blocked this client (418); calls resume after the block lifts.");
        }
        var started = timeProvider.GetTimestamp();
        var ticker = await exchange.GetTickerAsync(_market.Market, cancellationToken).ConfigureAwait(false);
        return new UpbitHealth(HealthStatus.Healthy, mode, false, null, snapshot.LastStatusCode, snapshot.LastResponseAt,
            ticker.TradePrice, ElapsedMs(started), null);
    }

    /// <summary>
    /// The probe failed or ran out of time. If an attempt just now got no response at all (the client retries, so the
    /// probe's timeout often comes first), that is what happened: "refused" and "no answer" need different fixes.
    /// </summary>
    public UpbitHealth UpbitFailed(string detail)
    {
        var snapshot = exchangeHealth.GetSnapshot();
        var recent = timeProvider.GetUtcNow() - 2 * options.Value.ProbeTimeout;
        if (snapshot.LastFailure is { } failure && snapshot.LastFailureAt >= recent && !(snapshot.LastResponseAt > snapshot.LastFailureAt)
            && !detail.Contains(failure, StringComparison.Ordinal))
        {
            detail = $"Upbit could not be reached: {failure}. {detail}";
        }
        return new UpbitHealth(HealthStatus.Unhealthy, Mode(), snapshot.IsBlocked, snapshot.BlockedUntil, snapshot.LastStatusCode,
            snapshot.LastResponseAt, null, null, detail);
    }

    /// <summary>Which provider signs the signals; a configured Gemini whose last signal fell back is degraded.</summary>
    public async Task<AiHealth> AiAsync(CancellationToken cancellationToken)
    {
        var settings = gemini.Value;
        var latest = await signals.GetLatestAsync(_market.Market, cancellationToken).ConfigureAwait(false);
        if (!settings.IsConfigured)
        {
            return new AiHealth(HealthStatus.Healthy, "technical", settings.Model, false, latest?.IsFallback,
                "No Gemini key is configured: signals come from the technical provider.");
        }
        return latest is { IsFallback: true }
            ? new AiHealth(HealthStatus.Degraded, "gemini", settings.Model, true, true,
                $"The last signal ({latest.Id}) fell back to the technical provider.")
            : new AiHealth(HealthStatus.Healthy, "gemini", settings.Model, true, latest?.IsFallback, null);
    }

    public AiHealth AiFailed(string detail)
    {
        var settings = gemini.Value;
        return new AiHealth(HealthStatus.Degraded, settings.IsConfigured ? "gemini" : "technical", settings.Model,
            settings.IsConfigured, null, detail);
    }

    /// <summary>Each timer job's last run; a job whose last run failed makes the scheduler degraded.</summary>
    public async Task<SchedulerHealth> SchedulerAsync(CancellationToken cancellationToken)
    {
        var runs = await jobRuns.GetLatestPerJobAsync(cancellationToken).ConfigureAwait(false);
        var jobs = runs.Select(r => new JobHealth(
            r.Job, r.Outcome.ToWire(WireCase.LowerSnake), r.StartedAt, r.FinishedAt, r.Attempts, r.IsPastDue)).ToList();
        if (jobs.Count == 0)
        {
            return new SchedulerHealth(HealthStatus.Degraded, jobs, "No timer job has run yet.");
        }
        var failed = runs.Where(r => r.Outcome == JobOutcome.Failed).Select(r => r.Job).ToList();
        return failed.Count > 0
            ? new SchedulerHealth(HealthStatus.Degraded, jobs, $"Last run failed: {string.Join(", ", failed)}.")
            : new SchedulerHealth(HealthStatus.Healthy, jobs, null);
    }

    public static SchedulerHealth SchedulerFailed(string detail) => new(HealthStatus.Degraded, [], detail);

    public async Task<LastSignalHealth> LastSignalAsync(CancellationToken cancellationToken)
    {
        var warnAfter = options.Value.SignalInterval * 2;
        var latest = await signals.GetLatestAsync(_market.Market, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return new LastSignalHealth(HealthStatus.Degraded, null, null, null, null, warnAfter.TotalMinutes, "No signal is stored yet.");
        }
        var age = timeProvider.GetUtcNow() - latest.CreatedAt;
        var stale = age > warnAfter;
        return new LastSignalHealth(
            stale ? HealthStatus.Degraded : HealthStatus.Healthy, latest.Id, latest.Type.ToWire(WireCase.UpperSnake),
            latest.CreatedAt, Math.Round(age.TotalMinutes, 1), warnAfter.TotalMinutes,
            stale ? $"The last signal is older than {warnAfter.TotalMinutes:0} minutes." : null);
    }

    public LastSignalHealth LastSignalFailed(string detail) =>
        new(HealthStatus.Degraded, null, null, null, null, (options.Value.SignalInterval * 2).TotalMinutes, detail);

    /// <summary>An order left in flight long after the poll deadline is reported so the trader can look at it.</summary>
    public async Task<LastOrderHealth> LastOrderAsync(CancellationToken cancellationToken)
    {
        var latest = await orders.GetLatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return new LastOrderHealth(HealthStatus.Healthy, null, null, null, null, null, "No order has been placed yet.");
        }
        var stuck = !latest.Status.IsTerminal() && timeProvider.GetUtcNow() - latest.CreatedAt > options.Value.StuckOrderAfter;
        return new LastOrderHealth(
            stuck ? HealthStatus.Degraded : HealthStatus.Healthy, latest.Id, latest.Status.ToDbValue(),
            latest.Side.ToWire(WireCase.UpperSnake), latest.CreatedAt, latest.FinishedAt,
            stuck ? $"Order {latest.Id} is still {latest.Status.ToDbValue()} after {options.Value.StuckOrderAfter.TotalMinutes:0} minutes." : null);
    }

    public static LastOrderHealth LastOrderFailed(string detail) => new(HealthStatus.Degraded, null, null, null, null, null, detail);

    private string Mode() => TradingModeSetting.Read(configuration).ToString();

    private double ElapsedMs(long started) => Math.Round(timeProvider.GetElapsedTime(started).TotalMilliseconds, 2);
}
