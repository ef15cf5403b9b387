using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Signals.Calibration;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>Live trading's <see cref="IEntryFacts"/> for one market: the database, the exchange (through its cache) and the daily-loss guard.</summary>
internal sealed class StoredEntryFacts(
    string market,
    IRiskSettingsProvider settingsProvider,
    IDailyLossGuard dailyLossGuard,
    IOrderRepository orders,
    IMarketDataRepository marketData,
    IPositionRepository positions,
    PortfolioValuation valuation,
    HitRateGate hitRateGate) : IEntryFacts
{
    public ValueTask<bool> IsTradingEnabledAsync(CancellationToken cancellationToken) =>
        new(settingsProvider.IsTradingEnabledAsync(cancellationToken));

    public ValueTask<DailyLossStatus> CheckDailyLossAsync(CancellationToken cancellationToken) =>
        new(dailyLossGuard.CheckDailyLossAsync(cancellationToken));

    public ValueTask<HitRateStatus> CheckHitRateAsync(RiskSettings settings, CancellationToken cancellationToken) =>
        new(hitRateGate.CheckAsync(settings, cancellationToken));

    public ValueTask<Order?> GetLatestOrderAsync(CancellationToken cancellationToken) =>
        new(orders.GetLatestAsync(cancellationToken));

    public ValueTask<IReadOnlyList<MarketMinute>> GetRecentMinutesAsync(DateTimeOffset since, int count, CancellationToken cancellationToken) =>
        new(marketData.GetHistoryAsync(market, since, count, cancellationToken));

    public ValueTask<Holdings> ReadHoldingsForBuyAsync(CancellationToken cancellationToken) =>
        new(valuation.ReadForBuyAsync(market, cancellationToken));

    public ValueTask<Holdings> ReadHoldingsAsync(CancellationToken cancellationToken) =>
        new(valuation.ReadAsync(market, cancellationToken));

    public ValueTask<Position?> GetPositionAsync(CancellationToken cancellationToken) =>
        new(positions.GetAsync(market, cancellationToken));
}
