using System.Text.Json;
using System.Text.Json.Nodes;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals.Analysis;

namespace BitcoinAutoTrading.Core.Signals.Providers;

/// <summary>Deterministic provider: action_score is the multi-timeframe confluence, the regime follows the bias and daily volatility.</summary>
public sealed class TechnicalSignalProvider : ISignalProvider
{
    /// <summary>A daily ATR of this share of the price or more is a high-volatility regime whatever the bias.</summary>
    public const double HighVolatilityDailyAtrShare = 0.06;

    public string Name => SignalProviderNames.Technical;

    public bool IsConfigured => true;

    public Task<ProviderSignal> GetSignalAsync(SignalContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(Evaluate(context.Analysis));
    }

    public static ProviderSignal Evaluate(MultiTimeframeAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var regime = RegimeOf(analysis);
        var reasoning = new JsonObject
        {
            ["summary"] = $"Weighted confluence {analysis.ConfluenceScore:0.00} ({analysis.Bias.ToWire()}) over {analysis.Timeframes.Count} timeframes.",
            ["timeframes"] = new JsonArray(analysis.Timeframes.Select(t => (JsonNode)new JsonObject
            {
                ["tf"] = TimeframeAnalysis.Label(t.Timeframe),
                ["score"] = Math.Round(t.Score, 2),
                ["direction"] = t.Direction.ToWire(),
                ["trend"] = t.Votes.Trend.ToWire(),
                ["rsi"] = t.Votes.Rsi.ToWire(),
                ["macd"] = t.Votes.Macd.ToWire(),
                ["ema50"] = t.Votes.Ema50.ToWire(),
                ["pct_b"] = t.Votes.PercentB.ToWire(),
            }).ToArray()),
        };
        return new ProviderSignal(
            Math.Clamp(analysis.ConfluenceScore, -1, 1), regime, reasoning.ToJsonString(JsonOptions), null, ProviderUsage.None);
    }

    private static MarketRegime RegimeOf(MultiTimeframeAnalysis analysis)
    {
        var daily = analysis.Timeframes.FirstOrDefault(t => t.Timeframe == CandleInterval.Day);
        if (daily is not null && daily.Close > 0 && daily.Atr14 / daily.Close >= HighVolatilityDailyAtrShare)
        {
            return MarketRegime.HighVolatility;
        }
        return analysis.Bias switch
        {
            Direction.Bullish => MarketRegime.BullTrend,
            Direction.Bearish => MarketRegime.BearTrend,
            _ => MarketRegime.Sideways,
        };
    }

    private static readonly JsonSerializerOptions JsonOptions = new();
}
