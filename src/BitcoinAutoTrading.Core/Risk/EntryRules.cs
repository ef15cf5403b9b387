using System.Globalization;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// The checks a signal passes before it may trade (SPEC §5.2), in their one order, decided from <see cref="IEntryFacts"/>
/// and recording nothing: live trading (<see cref="EntryRiskEvaluator"/>) and the backtester both call these, so the two
/// cannot drift apart. A BUY is sized from equity and confidence; a SELL sells the whole position.
/// </summary>
public static class EntryRules
{
    /// <summary>How far back the volatility halt looks: the 5-minute range of SPEC §5.1.</summary>
    public static readonly TimeSpan VolatilityWindow = TimeSpan.FromMinutes(5);

    /// <summary>The most minutes the volatility window holds.</summary>
    public const int VolatilityWindowMinutes = 5;

    /// <summary>The oldest ticker an entry may be sized on (SPEC §5.3).</summary>
    public static readonly TimeSpan MaxTickerAge = TimeSpan.FromMinutes(1);

    public const string EntryRefused = "entry refused";

    public const string SignalSellRefused = "signal sell refused";

    /// <summary>
    /// Kill switch, daily-loss halt, hit-rate gate, confidence, cooldown, missing data, volatility, ticker age, then
    /// sizing (exposure, cash, the exchange minimum). The first check that fails decides.
    /// </summary>
    public static async ValueTask<EntryVerdict> DecideBuyAsync(
        IEntryFacts facts, decimal confidence, RiskSettings settings, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        if (await CheckHaltsAsync(facts, EntryRefused, cancellationToken).ConfigureAwait(false) is { } halted)
        {
            return halted;
        }

        // Issue #16: confidence is only worth sizing on while the signals have been right often enough lately.
        var quality = await facts.CheckHitRateAsync(settings, cancellationToken).ConfigureAwait(false);
        if (quality.IsPaused)
        {
            return EntryVerdict.Refuse(RiskEventType.LowConfidence, quality.HitRate.Rate ?? 0m, settings.MinHitRate, EntryRefused,
                new { reason = "hit_rate", sample = quality.HitRate.Sample, correct = quality.HitRate.Correct }, "hit rate");
        }

        if (confidence < settings.MinConfidence)
        {
            return EntryVerdict.Refuse(RiskEventType.LowConfidence, confidence, settings.MinConfidence, EntryRefused, reason: "confidence");
        }

        if (settings.TradeCooldownMinutes > 0)
        {
            // The app trades one market, so the newest order of any market is the last trade; a cooldown across
            // markets is also the careful choice should a second market ever be added.
            var last = await facts.GetLatestOrderAsync(cancellationToken).ConfigureAwait(false);
            if (last is not null)
            {
                var minutesSince = (decimal)(now - last.CreatedAt).TotalMinutes;
                if (minutesSince < settings.TradeCooldownMinutes)
                {
                    return EntryVerdict.Refuse(
                        RiskEventType.Cooldown, Math.Round(Math.Max(0m, minutesSince), 2), settings.TradeCooldownMinutes, EntryRefused,
                        new { lastOrderId = last.Id, lastOrderAt = last.CreatedAt });
                }
            }
        }

        // The last five closed minutes, whatever second of the minute the decision runs at: the collector stores closed
        // minutes only, so from a second past 12:30 a window of now − 5 min would hold four (12:26–12:29), and a
        // replay deciding at 12:30:00 five.
        var since = UtcTime.FloorToMinute(now) - VolatilityWindow;
        var minutes = await facts.GetRecentMinutesAsync(since, VolatilityWindowMinutes, cancellationToken).ConfigureAwait(false);
        if (minutes.Count == 0)
        {
            // Fails closed (SPEC §5.3): with the collector down there is no range to judge, and no range is no licence.
            // Trigger: minutes stored in the window, against the 1 the check needs.
            return EntryVerdict.Refuse(RiskEventType.VolatilityHalt, 0m, 1m, EntryRefused,
                new { reason = "no stored minute in the last 5 minutes", since }, "no recent minute");
        }
        if (VolatilityRangePct(minutes) is { } rangePct && rangePct >= settings.VolatilityThresholdPct)
        {
            return EntryVerdict.Refuse(RiskEventType.VolatilityHalt, Math.Round(rangePct, 4), settings.VolatilityThresholdPct, EntryRefused,
                new { minutes = minutes.Count }, "range");
        }

        var holdings = await facts.ReadHoldingsForBuyAsync(cancellationToken).ConfigureAwait(false);
        if (holdings.PriceAt is { } priceAt && now - priceAt > MaxTickerAge)
        {
            // A price the exchange has not confirmed for over a minute could be anything now: no sizing on it.
            // Trigger: the ticker's age in seconds, against the 60 allowed.
            return EntryVerdict.Refuse(RiskEventType.VolatilityHalt, Math.Round((decimal)(now - priceAt).TotalSeconds, 1),
                (decimal)MaxTickerAge.TotalSeconds, EntryRefused, new { reason = "ticker older than a minute", tickerAt = priceAt }, "stale ticker");
        }
        var sizing = PositionSizing.SizeBuy(holdings, confidence, settings);
        if (!sizing.MeetsMinimum)
        {
            return EntryVerdict.Refuse(RiskEventType.PositionLimit, sizing.OrderKrw, KrwOrderRules.MinimumOrderKrw, EntryRefused,
                new
                {
                    reason = sizing.Shortfall,
                    equityKrw = holdings.EquityKrw,
                    targetKrw = sizing.TargetKrw,
                    exposureRoomKrw = sizing.ExposureRoomKrw,
                    affordableKrw = sizing.AffordableKrw,
                }, sizing.Shortfall);
        }
        return EntryVerdict.Approve(EntryDecision.Buy(sizing.OrderKrw));
    }

    /// <summary>A SELL on a signal: blocked while halted or disabled, otherwise the whole position if it is worth the exchange minimum.</summary>
    public static async ValueTask<EntryVerdict> DecideSellAsync(IEntryFacts facts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (await CheckHaltsAsync(facts, SignalSellRefused, cancellationToken).ConfigureAwait(false) is { } halted)
        {
            return halted;
        }

        var position = await facts.GetPositionAsync(cancellationToken).ConfigureAwait(false);
        if (position is not { IsOpen: true })
        {
            return EntryVerdict.Skip("no position to sell");
        }
        var holdings = await facts.ReadHoldingsAsync(cancellationToken).ConfigureAwait(false);
        var volume = SellableVolume(position, holdings);
        if (volume * holdings.Price < KrwOrderRules.MinimumOrderKrw)
        {
            return EntryVerdict.Skip(string.Create(CultureInfo.InvariantCulture,
                $"position worth under {KrwOrderRules.MinimumOrderKrw:0} KRW"));
        }
        return EntryVerdict.Approve(EntryDecision.Sell(volume));
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

    private static async ValueTask<EntryVerdict?> CheckHaltsAsync(IEntryFacts facts, string action, CancellationToken cancellationToken)
    {
        // The kill switch is read as stored now, not from the run's snapshot: a halt made on any instance a moment ago
        // stops this decision (SPEC §5.1).
        if (!await facts.IsTradingEnabledAsync(cancellationToken).ConfigureAwait(false))
        {
            // The operator's kill switch: trigger 0 = trading_enabled false, against 1 = true.
            return EntryVerdict.Refuse(RiskEventType.KillSwitch, 0m, 1m, action, new { reason = "trading_enabled is false" });
        }

        var daily = await facts.CheckDailyLossAsync(cancellationToken).ConfigureAwait(false);
        if (daily.IsHalted)
        {
            return EntryVerdict.Refuse(RiskEventType.DailyLimit, Math.Round(daily.LossPct, 4), daily.LimitPct, action,
                new { reason = "trading halted for the KST day" });
        }
        return null;
    }
}
