using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>How a BUY was sized, with every limit that went into it, so a refusal can say which limit bound.</summary>
public sealed record BuySizing(decimal TargetKrw, decimal ExposureRoomKrw, decimal AffordableKrw, decimal OrderKrw)
{
    public bool MeetsMinimum => OrderKrw >= KrwOrderRules.MinimumOrderKrw;

    /// <summary>Which limit pushed the order under the exchange minimum; null when it meets the minimum.</summary>
    public string? Shortfall =>
        MeetsMinimum ? null
        : ExposureRoomKrw < KrwOrderRules.MinimumOrderKrw ? "max exposure reached"
        : AffordableKrw < KrwOrderRules.MinimumOrderKrw ? "not enough KRW after fee"
        : "below the exchange minimum";
}

/// <summary>Position sizing of SPEC §5.2: a share of equity that grows with confidence, within the exposure limit and the cash at hand.</summary>
public static class PositionSizing
{
    /// <summary>Upbit's published KRW-market fee (0.05 %): the default until the exchange's own rate is read (<see cref="Holdings.BidFeeRate"/>).</summary>
    public const decimal FeeRate = 0.0005m;

    public static BuySizing SizeBuy(Holdings holdings, decimal confidence, RiskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(holdings);
        ArgumentNullException.ThrowIfNull(settings);
        var c = Math.Clamp(confidence, 0m, 1m);
        var equity = holdings.EquityKrw;
        var sharePct = settings.PositionSizeMinPct + (settings.PositionSizeMaxPct - settings.PositionSizeMinPct) * c;
        var target = equity * sharePct / 100m;
        // The position after the buy (what we hold plus this order) may not exceed the exposure limit.
        var exposureRoom = Math.Max(0m, equity * settings.MaxExposurePct / 100m - holdings.CoinValueKrw);
        // The fee is paid on top of a market buy's amount, so the cash must cover both (the fee reserve).
        var affordable = holdings.KrwAvailable / (1m + holdings.BidFeeRate);
        // Upbit spends whole won; flooring keeps every limit satisfied.
        var order = Math.Floor(Math.Min(target, Math.Min(exposureRoom, affordable)));
        return new BuySizing(target, exposureRoom, affordable, order);
    }
}
