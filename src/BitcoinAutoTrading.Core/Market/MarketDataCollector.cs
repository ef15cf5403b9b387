using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Core.Market;

/// <summary>
/// CollectMarketData (SPEC §2.1): stores the closed 1-minute candles since the last stored minute, at most
/// <see cref="MarketDataOptions.BackfillLimit"/> per run, then runs the protective exits on the current ticker price.
/// </summary>
/// <remarks>
/// A gap wider than one page is filled oldest part first (Upbit's <c>to</c> bounds the page), so successive runs
/// walk forward without holes instead of leaving the middle of an outage empty forever. Each page starts again at the
/// last stored minute: a rerun rewrites nothing, and a minute that traded late is corrected.
/// </remarks>
public sealed partial class MarketDataCollector(
    IExchange exchange,
    IMarketDataRepository repository,
    IProtectiveExitMonitor exitMonitor,
    IOptions<MarketDataOptions> options,
    TimeProvider clock,
    ILogger<MarketDataCollector> logger)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public async Task<MarketDataCollection> CollectAsync(string market, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(market);
        var limit = options.Value.BackfillLimit;
        // The minute in progress keeps changing until it closes; only closed minutes are stored.
        var forming = UtcTime.FloorToMinute(clock.GetUtcNow());
        var latest = await repository.GetLatestAsync(market, cancellationToken).ConfigureAwait(false);

        var candles = await FetchAsync(market, latest, forming, limit, cancellationToken).ConfigureAwait(false);
        var changed = candles.Count == 0
            ? 0
            : await repository.UpsertMinutesAsync(candles, cancellationToken).ConfigureAwait(false);

        var newest = candles.Count > 0 && (latest is null || candles[^1].Start >= latest.Ts)
            ? (Start: (DateTimeOffset?)candles[^1].Start, Close: (decimal?)candles[^1].Close)
            : (Start: latest?.Ts, Close: latest?.Close);
        var caughtUp = newest.Start is { } start && start >= forming - Minute;
        LogCollected(logger, market, candles.Count, changed, newest.Start, caughtUp);

        var exitsChecked = false;
        if (newest.Close is not null)
        {
            // The exits judge the price of now (SPEC §5.3): while back-fill walks through an outage page by page, the
            // newest stored close can be hours old, so a crash now would go unseen and a long-recovered dip would sell.
            // The ticker goes through the exchange's 10 s cache, so the signal run in the same minute reuses it.
            var ticker = await exchange.GetTickerAsync(market, cancellationToken).ConfigureAwait(false);
            await exitMonitor.CheckAsync(market, ticker.TradePrice, cancellationToken).ConfigureAwait(false);
            exitsChecked = true;
        }
        return new MarketDataCollection(candles.Count, changed, newest.Start, newest.Close, caughtUp, exitsChecked);
    }

    private async Task<IReadOnlyList<Candle>> FetchAsync(
        string market, MarketMinute? latest, DateTimeOffset forming, int limit, CancellationToken cancellationToken)
    {
        if (latest is null)
        {
            return await PageAsync(market, limit, forming, cancellationToken).ConfigureAwait(false);
        }
        if (latest.Ts >= forming)
        {
            // The stored minute is not closed yet by our clock (clock skew): nothing newer can be closed.
            return [];
        }

        // The page [latest, latest + limit) capped at the forming minute; `to` is exclusive on Upbit.
        var to = Min(latest.Ts + Minute * limit, forming);
        var count = (int)((to - latest.Ts) / Minute);
        var page = await PageAsync(market, count, to, cancellationToken).ConfigureAwait(false);
        if (to < forming && !page.Any(c => c.Start > latest.Ts))
        {
            // A whole page without trades (or candles the exchange no longer keeps) would stall every later run on the
            // same empty window: skip it and take the newest page instead.
            LogEmptyWindow(logger, market, latest.Ts, to);
            return await PageAsync(market, limit, forming, cancellationToken).ConfigureAwait(false);
        }
        return page;
    }

    private async Task<IReadOnlyList<Candle>> PageAsync(string market, int count, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var candles = await exchange.GetCandlesAsync(market, CandleInterval.Minute1, count, to, cancellationToken).ConfigureAwait(false);
        return candles.Where(c => c.Start < to).OrderBy(c => c.Start).ToList();
    }


    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Collected {Market}: {Fetched} candle(s), {Changed} row(s) written, newest minute {Newest:o}, caught up: {CaughtUp}")]
    private static partial void LogCollected(ILogger logger, string market, int fetched, int changed, DateTimeOffset? newest, bool caughtUp);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No {Market} candles between {From:o} and {To:o}; skipping to the newest page")]
    private static partial void LogEmptyWindow(ILogger logger, string market, DateTimeOffset from, DateTimeOffset to);
}
