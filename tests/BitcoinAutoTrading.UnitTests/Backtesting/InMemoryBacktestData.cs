using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;

namespace BitcoinAutoTrading.UnitTests.Backtesting;

/// <summary>Stands in for PostgreSQL in unit tests: the same range semantics as BacktestDataReader ([from, to)).</summary>
internal sealed class InMemoryBacktestData(IReadOnlyList<MarketMinute> minutes, IReadOnlyList<StoredSignal>? signals = null) : IBacktestData
{
    public Task<IReadOnlyList<MarketMinute>> GetMinutesAsync(string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<MarketMinute>>(minutes.Where(m => m.Market == market && m.Ts >= from && m.Ts < to).ToList());

    /// <summary>The rollup's hourly aggregate of the stored minutes, as market_bars holds it.</summary>
    public Task<IReadOnlyList<Candle>> GetHourlyBarsAsync(string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Candle>>(minutes
            .Where(m => m.Market == market)
            .GroupBy(m => new DateTimeOffset(m.Ts.UtcTicks - (m.Ts.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero))
            .Where(h => h.Key >= from && h.Key < to)
            .OrderBy(h => h.Key)
            .Select(h => new Candle(market, h.Key, h.First().Open, h.Max(m => m.High), h.Min(m => m.Low), h.Last().Close,
                h.Sum(m => m.Volume), h.Sum(m => m.ValueKrw)))
            .ToList());

    public Task<IReadOnlySet<DateTimeOffset>> GetStoredMinuteStartsAsync(string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlySet<DateTimeOffset>>(minutes.Where(m => m.Market == market && m.Ts >= from && m.Ts < to).Select(m => m.Ts).ToHashSet());

    public Task<IReadOnlyList<StoredSignal>> GetSignalsAsync(string market, DateTimeOffset from, DateTimeOffset to, bool includeShadow, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredSignal>>((signals ?? []).Where(s => s.CreatedAt >= from && s.CreatedAt < to).ToList());
}
