using BitcoinAutoTrading.Core.Market;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Signals;

/// <summary>
/// EvaluateSignals (SPEC §4.6): for signals 4 h and 24 h old, the stored price at that horizon, the change since the
/// signal, and whether the signal was right.
/// </summary>
public sealed partial class SignalEvaluator(
    ISignalRepository signals,
    IMarketDataRepository marketData,
    TimeProvider clock,
    ILogger<SignalEvaluator> logger)
{
    /// <summary>Upbit's 0.05 % taker fee paid on the way in and out: a move smaller than this earned nothing.</summary>
    public const decimal RoundTripFeePct = 0.1m;

    /// <summary>HOLD was right when the price stayed within ±1 %.</summary>
    public const decimal HoldBandPct = 1m;

    /// <summary>
    /// The price at the horizon must come from a minute at most this much earlier; with a hole in the data the signal
    /// stays due, and the back-fill or a later run supplies the minute.
    /// </summary>
    public static readonly TimeSpan MaxPriceAge = TimeSpan.FromMinutes(10);

    private static readonly EvaluationHorizon[] Horizons = [EvaluationHorizon.FourHours, EvaluationHorizon.TwentyFourHours];

    /// <summary>Returns how many evaluations were recorded.</summary>
    public async Task<int> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var recorded = 0;
        foreach (var horizon in Horizons)
        {
            var due = await signals.ListDueForEvaluationAsync(horizon, now, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var signal in due)
            {
                if (await EvaluateAsync(signal, horizon, now, cancellationToken).ConfigureAwait(false))
                {
                    recorded++;
                }
            }
        }
        LogEvaluated(logger, recorded);
        return recorded;
    }

    private async Task<bool> EvaluateAsync(TradingSignal signal, EvaluationHorizon horizon, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var target = signal.CreatedAt + horizon.ToTimeSpan();
        var after = await marketData.GetCloseAtOrBeforeAsync(signal.Market, target, cancellationToken).ConfigureAwait(false);
        if (after is null || after.Ts < target - MaxPriceAge)
        {
            LogNoPrice(logger, signal.Id, (int)horizon, target);
            return false;
        }

        var before = signal.PriceAtSignal
            ?? (await marketData.GetCloseAtOrBeforeAsync(signal.Market, signal.CreatedAt, cancellationToken).ConfigureAwait(false))?.Close;
        if (before is not > 0)
        {
            LogNoPrice(logger, signal.Id, 0, signal.CreatedAt);
            return false;
        }

        var changePct = ChangePct(before.Value, after.Close);
        return await signals.SetEvaluationAsync(
            signal.Id, horizon, after.Close, changePct, IsCorrect(signal.Type, changePct), now, cancellationToken).ConfigureAwait(false);
    }

    public static decimal ChangePct(decimal before, decimal after) => Math.Round((after - before) / before * 100m, 6);

    /// <summary>BUY right if the rise beats the round-trip fees, SELL if the fall does, HOLD if the price stayed within ±1 %.</summary>
    public static bool IsCorrect(SignalType type, decimal changePct) => type switch
    {
        SignalType.Buy => changePct > RoundTripFeePct,
        SignalType.Sell => changePct < -RoundTripFeePct,
        SignalType.Hold => Math.Abs(changePct) < HoldBandPct,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown signal type."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded {Count} signal evaluation(s)")]
    private static partial void LogEvaluated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Signal {SignalId}: no stored price near {At:o} (horizon {Hours} h); left for a later run")]
    private static partial void LogNoPrice(ILogger logger, long signalId, int hours, DateTimeOffset at);
}
