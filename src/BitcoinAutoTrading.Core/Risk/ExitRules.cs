using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>A protective exit that fired: why, the percentage that tripped it and the configured threshold.</summary>
public sealed record ExitTrigger(OrderReason Reason, RiskEventType EventType, decimal TriggerPct, decimal ThresholdPct);

/// <summary>Stop-loss, take-profit and trailing stop on the latest price (SPEC §5.3), as pure arithmetic.</summary>
public static class ExitRules
{
    /// <summary>
    /// The exit to take, or null. Stop-loss wins over the others (capital first), then take-profit, then the trailing
    /// stop; <paramref name="peak"/> is the highest price since entry including <paramref name="price"/>.
    /// </summary>
    public static ExitTrigger? Evaluate(decimal avgEntryPrice, decimal peak, decimal price, RiskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (avgEntryPrice <= 0 || price <= 0)
        {
            return null;
        }

        var changePct = (price - avgEntryPrice) / avgEntryPrice * 100m;
        if (price <= avgEntryPrice * (1m - settings.StopLossPct / 100m))
        {
            return new ExitTrigger(OrderReason.StopLoss, RiskEventType.StopLoss, Math.Round(-changePct, 4), settings.StopLossPct);
        }
        if (price >= avgEntryPrice * (1m + settings.TakeProfitPct / 100m))
        {
            return new ExitTrigger(OrderReason.TakeProfit, RiskEventType.TakeProfit, Math.Round(changePct, 4), settings.TakeProfitPct);
        }
        if (peak >= avgEntryPrice * (1m + settings.TrailingStopActivationPct / 100m)
            && price <= peak * (1m - settings.TrailingStopDistancePct / 100m))
        {
            var fromPeakPct = (peak - price) / peak * 100m;
            return new ExitTrigger(OrderReason.TrailingStop, RiskEventType.TrailingStop, Math.Round(fromPeakPct, 4), settings.TrailingStopDistancePct);
        }
        return null;
    }
}
