using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals.Indicators;

namespace BitcoinAutoTrading.Core.Signals.Analysis;

/// <summary>Computes one timeframe's indicators (EMA20/50, RSI14, MACD 12/26/9, Bollinger 20/2 %B, ATR14) from its candles.</summary>
public static class TimeframeAnalyzer
{
    public static TimeframeAnalysis Analyze(CandleInterval timeframe, double weight, IReadOnlyList<Candle> candles)
    {
        ArgumentNullException.ThrowIfNull(candles);
        if (candles.Count == 0)
        {
            throw new ArgumentException($"No {TimeframeAnalysis.Label(timeframe)} candles to analyse.", nameof(candles));
        }

        var count = candles.Count;
        var closes = new double[count];
        var highs = new double[count];
        var lows = new double[count];
        for (var i = 0; i < count; i++)
        {
            closes[i] = (double)candles[i].Close;
            highs[i] = (double)candles[i].High;
            lows[i] = (double)candles[i].Low;
        }

        var last = count - 1;
        var ema20 = Ema.Compute(closes, 20)[last];
        var ema50 = Ema.Compute(closes, 50)[last];
        var rsi = Rsi.Compute(closes)[last];
        var macd = Macd.Compute(closes);
        var percentB = BollingerBands.Compute(closes).PercentB[last];
        var atr = Atr.Compute(highs, lows, closes)[last];
        var close = closes[last];
        var votes = IndicatorVotes.From(close, ema20, ema50, rsi, macd.Histogram[last], percentB, atr);
        return new TimeframeAnalysis(
            timeframe, weight, count, close, ema20, ema50, rsi,
            macd.Line[last], macd.Signal[last], macd.Histogram[last], percentB, atr, votes);
    }
}
