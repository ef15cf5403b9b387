using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Signals.Calibration;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// What <see cref="EntryRules"/> reads to decide an entry, for one market: from the database and the exchange in live
/// trading, from the replayed books in a backtest. Asked lazily, in the order the checks need them, so a check that
/// does not apply (a cooldown of 0, a refused confidence) reads nothing.
/// </summary>
public interface IEntryFacts
{
    /// <summary>The operator's kill switch as stored now (not the run's settings snapshot).</summary>
    ValueTask<bool> IsTradingEnabledAsync(CancellationToken cancellationToken);

    /// <summary>Today's (KST) realized loss against the limit; may record the halt the first time it trips.</summary>
    ValueTask<DailyLossStatus> CheckDailyLossAsync(CancellationToken cancellationToken);

    /// <summary>The recent signals' 4 h hit rate against <c>min_hit_rate</c> (see <see cref="HitRateGate"/>).</summary>
    ValueTask<HitRateStatus> CheckHitRateAsync(RiskSettings settings, CancellationToken cancellationToken);

    /// <summary>The newest order of any side or reason: the last trade the cooldown counts from.</summary>
    ValueTask<Order?> GetLatestOrderAsync(CancellationToken cancellationToken);

    /// <summary>At most <paramref name="count"/> stored minutes from <paramref name="since"/> on.</summary>
    ValueTask<IReadOnlyList<MarketMinute>> GetRecentMinutesAsync(DateTimeOffset since, int count, CancellationToken cancellationToken);

    /// <summary>Balances and the ticker, with the exchange's buy fee, for sizing a buy.</summary>
    ValueTask<Holdings> ReadHoldingsForBuyAsync(CancellationToken cancellationToken);

    /// <summary>Balances and the ticker, for a sell.</summary>
    ValueTask<Holdings> ReadHoldingsAsync(CancellationToken cancellationToken);

    /// <summary>The position our books hold, if any.</summary>
    ValueTask<Position?> GetPositionAsync(CancellationToken cancellationToken);
}
