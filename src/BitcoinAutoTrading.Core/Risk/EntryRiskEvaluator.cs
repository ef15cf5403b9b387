using System.Globalization;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Signals.Calibration;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// The checks a signal passes before it may trade (SPEC §5.2). Each refusal is stored as a risk event with the value
/// that tripped it and the threshold. A BUY is sized from equity and confidence; a SELL sells the whole position.
/// </summary>
public sealed class EntryRiskEvaluator(
    IRiskSettingsProvider settingsProvider,
    IDailyLossGuard dailyLossGuard,
    IOrderRepository orders,
    IMarketDataRepository marketData,
    IPositionRepository positions,
    PortfolioValuation valuation,
    RiskEventRecorder recorder,
    HitRateGate hitRateGate,
    TimeProvider timeProvider)
{
    /// <summary>How far back the volatility halt looks: the 5-minute range of SPEC §5.1.</summary>
    public static readonly TimeSpan VolatilityWindow = TimeSpan.FromMinutes(5);

    /// <summary>The oldest ticker an entry may be sized on (SPEC §5.3).</summary>
    public static readonly TimeSpan MaxTickerAge = TimeSpan.FromMinutes(1);

    private const string EntryRefused = "entry refused";

    public async Task<EntryDecision> EvaluateBuyAsync(
        string market, decimal confidence, long? signalId, CancellationToken cancellationToken = default)
    {
        var settings = await settingsProvider.GetAsync(cancellationToken).ConfigureAwait(false);
        if (await CheckHaltsAsync("entry refused", signalId, cancellationToken).ConfigureAwait(false) is { } halted)
        {
            return halted;
        }

        // Issue #16: confidence is only worth sizing on while the signals have been right often enough lately.
        var quality = await hitRateGate.CheckAsync(settings, cancellationToken).ConfigureAwait(false);
        if (quality.IsPaused)
        {
            return await RefuseAsync(RiskEventType.LowConfidence, quality.HitRate.Rate ?? 0m, settings.MinHitRate, signalId,
                new { reason = "hit_rate", sample = quality.HitRate.Sample, correct = quality.HitRate.Correct }, cancellationToken)
                .ConfigureAwait(false);
        }

        if (confidence < settings.MinConfidence)
        {
            return await RefuseAsync(RiskEventType.LowConfidence, confidence, settings.MinConfidence, signalId, null, cancellationToken)
                .ConfigureAwait(false);
        }

        var now = timeProvider.GetUtcNow();
        if (settings.TradeCooldownMinutes > 0)
        {
            // The app trades one market, so the newest order of any market is the last trade; a cooldown across
            // markets is also the careful choice should a second market ever be added.
            var last = await orders.GetLatestAsync(cancellationToken).ConfigureAwait(false);
            if (last is not null)
            {
                var minutesSince = (decimal)(now - last.CreatedAt).TotalMinutes;
                if (minutesSince < settings.TradeCooldownMinutes)
                {
                    return await RefuseAsync(
                        RiskEventType.Cooldown, Math.Round(Math.Max(0m, minutesSince), 2), settings.TradeCooldownMinutes, signalId,
                        new { lastOrderId = last.Id, lastOrderAt = last.CreatedAt }, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var minutes = await marketData.GetHistoryAsync(market, now - VolatilityWindow, 5, cancellationToken).ConfigureAwait(false);
        if (minutes.Count == 0)
        {
            // Fails closed (SPEC §5.3): with the collector down there is no range to judge, and no range is no licence.
            // Trigger: minutes stored in the window, against the 1 the check needs.
            return await RefuseAsync(RiskEventType.VolatilityHalt, 0m, 1m, signalId,
                new { reason = "no stored minute in the last 5 minutes", since = now - VolatilityWindow }, cancellationToken).ConfigureAwait(false);
        }
        if (VolatilityRangePct(minutes) is { } rangePct && rangePct >= settings.VolatilityThresholdPct)
        {
            return await RefuseAsync(RiskEventType.VolatilityHalt, Math.Round(rangePct, 4), settings.VolatilityThresholdPct, signalId,
                new { minutes = minutes.Count }, cancellationToken).ConfigureAwait(false);
        }

        var holdings = await valuation.ReadForBuyAsync(market, cancellationToken).ConfigureAwait(false);
        if (holdings.PriceAt is { } priceAt && now - priceAt > MaxTickerAge)
        {
            // A price the exchange has not confirmed for over a minute could be anything now: no sizing on it.
            // Trigger: the ticker's age in seconds, against the 60 allowed.
            return await RefuseAsync(RiskEventType.VolatilityHalt, Math.Round((decimal)(now - priceAt).TotalSeconds, 1),
                (decimal)MaxTickerAge.TotalSeconds, signalId,
                new { reason = "ticker older than a minute", tickerAt = priceAt }, cancellationToken).ConfigureAwait(false);
        }
        var sizing = PositionSizing.SizeBuy(holdings, confidence, settings);
        if (!sizing.MeetsMinimum)
        {
            return await RefuseAsync(RiskEventType.PositionLimit, sizing.OrderKrw, KrwOrderRules.MinimumOrderKrw, signalId,
                new
                {
                    reason = sizing.Shortfall,
                    equityKrw = holdings.EquityKrw,
                    targetKrw = sizing.TargetKrw,
                    exposureRoomKrw = sizing.ExposureRoomKrw,
                    affordableKrw = sizing.AffordableKrw,
                }, cancellationToken).ConfigureAwait(false);
        }
        return EntryDecision.Buy(sizing.OrderKrw);
    }

    /// <summary>A SELL on a signal: blocked while halted or disabled, otherwise the whole position if it is worth the exchange minimum.</summary>
    public async Task<EntryDecision> EvaluateSellAsync(string market, long? signalId, CancellationToken cancellationToken = default)
    {
        if (await CheckHaltsAsync("signal sell refused", signalId, cancellationToken).ConfigureAwait(false) is { } halted)
        {
            return halted;
        }

        var position = await positions.GetAsync(market, cancellationToken).ConfigureAwait(false);
        if (position is not { IsOpen: true })
        {
            return EntryDecision.Skipped("no position to sell");
        }
        var holdings = await valuation.ReadAsync(market, cancellationToken).ConfigureAwait(false);
        var volume = SellableVolume(position, holdings);
        if (volume * holdings.Price < KrwOrderRules.MinimumOrderKrw)
        {
            return EntryDecision.Skipped(string.Create(CultureInfo.InvariantCulture,
                $"position worth under {KrwOrderRules.MinimumOrderKrw:0} KRW"));
        }
        return EntryDecision.Sell(volume);
    }

    /// <summary>
    /// The whole position as our books know it, but never more than the exchange lets us sell (a manual withdrawal
    /// or a rounding difference must not turn into a rejected order).
    /// </summary>
    public static decimal SellableVolume(Position position, Holdings holdings)
    {
        ArgumentNullException.ThrowIfNull(position);
        ArgumentNullException.ThrowIfNull(holdings);
        var volume = Math.Min(position.Quantity, holdings.CoinAvailable);
        return Math.Floor(volume * 100_000_000m) / 100_000_000m;
    }

    /// <summary>(highest high − lowest low) / lowest low of the given minutes, in percent; null without data.</summary>
    public static decimal? VolatilityRangePct(IReadOnlyList<MarketMinute> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        if (minutes.Count == 0)
        {
            return null;
        }
        var high = minutes.Max(m => m.High);
        var low = minutes.Min(m => m.Low);
        return low > 0 ? (high - low) / low * 100m : null;
    }

    private async Task<EntryDecision?> CheckHaltsAsync(
        string action, long? signalId, CancellationToken cancellationToken)
    {
        // The kill switch is read as stored now, not from the run's snapshot: a halt made on any instance a moment ago
        // stops this decision (SPEC §5.1).
        if (!await settingsProvider.IsTradingEnabledAsync(cancellationToken).ConfigureAwait(false))
        {
            // The operator's kill switch: trigger 0 = trading_enabled false, against 1 = true.
            return await RefuseAsync(RiskEventType.KillSwitch, 0m, 1m, signalId, new { reason = "trading_enabled is false" },
                action, cancellationToken).ConfigureAwait(false);
        }

        var daily = await dailyLossGuard.CheckDailyLossAsync(cancellationToken).ConfigureAwait(false);
        if (daily.IsHalted)
        {
            return await RefuseAsync(RiskEventType.DailyLimit, Math.Round(daily.LossPct, 4), daily.LimitPct, signalId,
                new { reason = "trading halted for the KST day" }, action, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private async Task<EntryDecision> RefuseAsync(
        RiskEventType type, decimal trigger, decimal threshold, long? signalId, object? details,
        CancellationToken cancellationToken) =>
        await RefuseAsync(type, trigger, threshold, signalId, details, EntryRefused, cancellationToken).ConfigureAwait(false);

    private async Task<EntryDecision> RefuseAsync(
        RiskEventType type, decimal trigger, decimal threshold, long? signalId, object? details, string action,
        CancellationToken cancellationToken)
    {
        await recorder.RecordAsync(type, trigger, threshold, action, signalId, details, cancellationToken).ConfigureAwait(false);
        return EntryDecision.Refused(type);
    }
}
