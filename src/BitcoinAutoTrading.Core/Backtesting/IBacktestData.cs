using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Signals;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>
/// A signal as stored in <c>trading_signals</c>, for the recorded provider; a shadow names the primary of its run.
/// </summary>
public sealed record StoredSignal(
    long Id, DateTimeOffset CreatedAt, SignalType Type, decimal ActionScore, decimal Confidence, bool IsFallback, long? ShadowOfId = null);

/// <summary>What a backtest reads from the system of record.</summary>
public interface IBacktestData
{
    /// <summary>Stored minutes of [from, to), oldest first.</summary>
    Task<IReadOnlyList<MarketMinute>> GetMinutesAsync(string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stored hourly bars (<c>market_bars</c>, resolution 60) starting in [from, to), oldest first: the history before the
    /// loaded minutes from which the 1h–1w candles live trading gets from Upbit (200 of each) are rebuilt.
    /// </summary>
    Task<IReadOnlyList<Candle>> GetHourlyBarsAsync(string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The start of every stored minute of [from, to): what an import may skip.</summary>
    Task<IReadOnlySet<DateTimeOffset>> GetStoredMinuteStartsAsync(
        string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Stored signals of [from, to), oldest first; shadow signals only when asked for.</summary>
    Task<IReadOnlyList<StoredSignal>> GetSignalsAsync(
        string market, DateTimeOffset from, DateTimeOffset to, bool includeShadow, CancellationToken cancellationToken = default);
}
