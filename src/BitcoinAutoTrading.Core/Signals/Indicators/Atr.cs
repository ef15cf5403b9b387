namespace BitcoinAutoTrading.Core.Signals.Indicators;

/// <summary>
/// Average true range with Wilder's smoothing. The first true range is high − low (there is no previous close);
/// the first ATR is the simple average of the first n true ranges, then ATR = (prev·(n−1) + TR)/n.
/// </summary>
public static class Atr
{
    public const int DefaultPeriod = 14;

    public static double[] TrueRange(ReadOnlySpan<double> highs, ReadOnlySpan<double> lows, ReadOnlySpan<double> closes)
    {
        RequireSameLength(highs, lows, closes);
        var result = new double[closes.Length];
        for (var i = 0; i < closes.Length; i++)
        {
            var range = highs[i] - lows[i];
            result[i] = i == 0
                ? range
                : Math.Max(range, Math.Max(Math.Abs(highs[i] - closes[i - 1]), Math.Abs(lows[i] - closes[i - 1])));
        }
        return result;
    }

    /// <summary>One value per bar; <see cref="double.NaN"/> for the first n − 1 bars.</summary>
    public static double[] Compute(
        ReadOnlySpan<double> highs, ReadOnlySpan<double> lows, ReadOnlySpan<double> closes, int period = DefaultPeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        var trueRange = TrueRange(highs, lows, closes);
        var result = new double[closes.Length];
        Array.Fill(result, double.NaN);
        if (closes.Length < period)
        {
            return result;
        }

        var atr = 0d;
        for (var i = 0; i < period; i++)
        {
            atr += trueRange[i];
        }
        atr /= period;
        result[period - 1] = atr;
        for (var i = period; i < closes.Length; i++)
        {
            atr = ((atr * (period - 1)) + trueRange[i]) / period;
            result[i] = atr;
        }
        return result;
    }

    private static void RequireSameLength(ReadOnlySpan<double> highs, ReadOnlySpan<double> lows, ReadOnlySpan<double> closes)
    {
        if (highs.Length != closes.Length || lows.Length != closes.Length)
        {
            throw new ArgumentException("Highs, lows and closes must have the same length.", nameof(closes));
        }
    }
}
