using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Signals.Analysis;

/// <summary>Fetches 1h/4h/1d/1w candles (the exchange decorator caches them) and combines their indicators.</summary>
public sealed class MultiTimeframeAnalyzer(IExchange exchange)
{
    /// <summary>Upbit's maximum per request; enough for EMA50 and MACD's 34-bar warm-up to settle.</summary>
    public const int CandleCount = 200;

    public async Task<MultiTimeframeAnalysis> AnalyzeAsync(string market, CancellationToken cancellationToken = default)
    {
        var fetches = Confluence.Timeframes
            .Select(t => exchange.GetCandlesAsync(market, t.Timeframe, CandleCount, cancellationToken: cancellationToken))
            .ToList();
        var candles = await Task.WhenAll(fetches).ConfigureAwait(false);
        return Analyze(Confluence.Timeframes.Select((t, i) => (t.Timeframe, candles[i])).ToList());
    }

    /// <summary>The pure part: indicators per timeframe, then the weighted confluence.</summary>
    public static MultiTimeframeAnalysis Analyze(IReadOnlyList<(CandleInterval Timeframe, IReadOnlyList<Candle> Candles)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var analyses = series
            .Select(s => TimeframeAnalyzer.Analyze(s.Timeframe, WeightOf(s.Timeframe), s.Candles))
            .ToList();
        return Confluence.Combine(analyses);
    }

    private static double WeightOf(CandleInterval timeframe)
    {
        foreach (var (candidate, weight) in Confluence.Timeframes)
        {
            if (candidate == timeframe)
            {
                return weight;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(timeframe), timeframe, "Only 1h, 4h, 1d and 1w take part in the confluence.");
    }
}
