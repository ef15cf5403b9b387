using System.Globalization;
using System.Text;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Sampling;

namespace BitcoinAutoTrading.Core.Signals.Prompt;

/// <summary>
/// Builds the compact prompt of SPEC §4.3: rules once, then numbers as CSV-like rows. Bars are written relative to
/// the last price in basis points (0.01 %), which keeps 444 bars within the token budget
/// (the seed's prose prompt reached 4,000 tokens; this one stays under 3,000 for the full data set).
/// </summary>
public static class PromptBuilder
{
    public const int MaxEstimatedTokens = 3_000;

    /// <summary>The estimate SPEC §4.3 and §12 P7 use: one token per four characters.</summary>
    public static int EstimateTokens(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return (prompt.Length + 3) / 4;
    }

    public static string Build(
        MarketSample sample,
        MultiTimeframeAnalysis analysis,
        DecisionThresholds thresholds,
        decimal lastPrice,
        DateTimeOffset asOf,
        PortfolioSnapshot? portfolio = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lastPrice);

        var sb = new StringBuilder(12_000);
        sb.Append("Task: ").Append(sample.Market).AppendLine(" spot trading signal. Reply with JSON only:")
          .AppendLine("signal BUY|SELL|HOLD; action_score -1..1 (+ buy pressure, - sell pressure); regime bull_trend|bear_trend|sideways|high_volatility; reasoning {summary, key_factors[], risks}.")
          .Append("Rules: code decides from action_score: BUY if >=").Append(F(thresholds.Buy))
          .Append(", SELL if <=").Append(F(thresholds.Sell)).AppendLine(", else HOLD; make signal match.")
          .AppendLine("Code computes confidence=min(1,0.5*|action_score|+0.3*tf_agreement+0.2*indicator_agreement); do not output it.")
          .Append("Now ").Append(asOf.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture))
          .Append(" last=").Append(F(lastPrice)).AppendLine(" KRW");
        if (portfolio is not null)
        {
            sb.Append("Position: qty=").Append(F(portfolio.Quantity))
              .Append(" avg_entry=").Append(portfolio.AverageEntryPrice is { } entry ? F(entry) : "-")
              .Append(" krw=").Append(F(portfolio.KrwAvailable)).AppendLine();
        }

        sb.AppendLine("MTF tf,weight,ema20%,ema50%,rsi14,macd_hist%,pctB,atr%,trend,score (% = vs close)");
        foreach (var tf in analysis.Timeframes)
        {
            sb.Append(TimeframeAnalysis.Label(tf.Timeframe)).Append(',').Append(F(tf.Weight, 1)).Append(',')
              .Append(Pct(tf.Ema20 - tf.Close, tf.Close)).Append(',')
              .Append(Pct(tf.Ema50 - tf.Close, tf.Close)).Append(',')
              .Append(F(tf.Rsi14, 1)).Append(',')
              .Append(Pct(tf.MacdHistogram, tf.Close, 3)).Append(',')
              .Append(F(tf.PercentB, 2)).Append(',')
              .Append(Pct(tf.Atr14, tf.Close)).Append(',')
              .Append(tf.Trend.ToWire()).Append(',')
              .Append(F(tf.Score, 2)).AppendLine();
        }
        sb.Append("Confluence score=").Append(F(analysis.ConfluenceScore, 2))
          .Append(" bias=").Append(analysis.Bias.ToWire())
          .Append(" tf_agreement=").Append(F(analysis.TimeframeAgreement, 2)).AppendLine();

        sb.AppendLine("Bars oldest first, rows c,o,h,l,v: c=close vs last in bp (0.01%); o,h,l=open,high,low vs own close in bp; v=volume/section mean*10; ~n=n buckets missing");
        AppendSection(sb, "long 1h", sample.Long, MarketSample.LongStep, lastPrice);
        AppendSection(sb, "mid 15m", sample.Mid, MarketSample.MidStep, lastPrice);
        AppendSection(sb, "short 5m", sample.Short, MarketSample.ShortStep, lastPrice);
        return sb.ToString();
    }

    private static void AppendSection(StringBuilder sb, string name, IReadOnlyList<SampledBar> bars, TimeSpan step, decimal reference)
    {
        sb.Append(name);
        if (bars.Count == 0)
        {
            sb.AppendLine(" none");
            return;
        }
        sb.Append(" from ").Append(bars[0].Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture)).AppendLine();

        var meanVolume = (double)bars.Average(b => b.Volume);
        DateTimeOffset? expected = null;
        foreach (var bar in bars)
        {
            if (expected is { } next && bar.Start > next)
            {
                sb.Append('~').Append((int)((bar.Start - next).Ticks / step.Ticks)).AppendLine();
            }
            expected = bar.Start + step;
            sb.Append(Bp(bar.Close - reference, reference)).Append(',')
              .Append(Bp(bar.Open - bar.Close, reference)).Append(',')
              .Append(Bp(bar.High - bar.Close, reference)).Append(',')
              .Append(Bp(bar.Low - bar.Close, reference)).Append(',')
              .Append(meanVolume == 0 ? 0 : (long)Math.Round((double)bar.Volume / meanVolume * 10, MidpointRounding.AwayFromZero))
              .AppendLine();
        }
    }

    // Whole basis points need 5 significant digits: double is exact enough and far cheaper than decimal division.
    private static long Bp(decimal difference, decimal reference) =>
        (long)Math.Round((double)difference / (double)reference * 10_000, MidpointRounding.AwayFromZero);

    private static string Pct(double part, double whole, int decimals = 2) =>
        double.IsFinite(part) && whole != 0 ? F(part / whole * 100, decimals) : "na";

    private static string F(double value, int decimals) =>
        double.IsFinite(value) ? Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture) : "na";

    private static string F(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}
