using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Market;

/// <summary>The stored 1-minute bars (<c>market_data</c>) and their 5 m / 15 m / 1 h rollups (<c>market_bars</c>).</summary>
public interface IMarketDataRepository
{
    /// <summary>
    /// Inserts new minutes and updates changed ones (the newest minute keeps forming until it closes) in one round
    /// trip, and in the same transaction re-aggregates the 5 m, 15 m and 1 h bars of exactly the buckets whose minutes
    /// changed. Returns how many minutes were inserted or changed: repeating a batch with the same values returns 0.
    /// </summary>
    Task<int> UpsertMinutesAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default);

    Task<MarketMinute?> GetLatestAsync(string market, CancellationToken cancellationToken = default);

    /// <summary>Minutes starting at or after <paramref name="since"/>, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<MarketMinute>> GetHistoryAsync(
        string market, DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Bars of <paramref name="resolution"/> (one of <see cref="BarResolutions.Rollups"/>) whose bucket starts at or after
    /// <paramref name="since"/>, newest first, at most <paramref name="limit"/>; the newest may still be forming.
    /// </summary>
    Task<IReadOnlyList<MarketBar>> GetBarsAsync(
        string market, CandleInterval resolution, DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-aggregates every bar of <paramref name="market"/> whose hour overlaps [<paramref name="from"/>,
    /// <paramref name="to"/>) from the stored minutes, for writers that load minutes in bulk without
    /// <see cref="UpsertMinutesAsync"/> (a COPY import). Returns how many bars were written or changed.
    /// </summary>
    Task<int> RebuildBarsAsync(string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Open/high/low/close, change and volume of the minutes since <paramref name="since"/>; null when there are none.</summary>
    Task<MarketStats?> GetStatsAsync(string market, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// The last minute starting at or before <paramref name="instant"/> (its <see cref="MarketMinute.Close"/> is the
    /// price at that time), or null when none is stored. Callers judge staleness from <see cref="MarketMinute.Ts"/>.
    /// </summary>
    Task<MarketMinute?> GetCloseAtOrBeforeAsync(
        string market, DateTimeOffset instant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the minutes, and the 5 m and 15 m bars built from them, before <paramref name="cutoff"/> rounded down to
    /// a whole hour (so no bar is left with part of its minutes); returns how many minutes. Hourly bars stay.
    /// </summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);

    /// <summary>Deletes the hourly bars that started before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteHourlyBarsOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
