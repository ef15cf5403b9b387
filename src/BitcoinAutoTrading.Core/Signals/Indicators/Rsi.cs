namespace BitcoinAutoTrading.Core.Signals.Indicators;

/// <summary>
/// Relative strength index with Wilder's smoothing: the first averages are simple means of the first n gains and
/// losses, then avg = (prev·(n−1) + current)/n. RSI is 100 when there were no losses, 50 on a perfectly flat series.
/// </summary>
public static class Rsi
{
    public const int DefaultPeriod = 14;

    /// <summary>One value per close; <see cref="double.NaN"/> for the first <paramref name="period"/> closes.</summary>
    public static double[] Compute(ReadOnlySpan<double> closes, int period = DefaultPeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        var result = new double[closes.Length];
        Array.Fill(result, double.NaN);
        if (closes.Length <= period)
        {
            return result;
        }

        double gain = 0, loss = 0;
        for (var i = 1; i <= period; i++)
        {
            var change = closes[i] - closes[i - 1];
            if (change > 0)
            {
                gain += change;
            }
            else
            {
                loss -= change;
            }
        }
        gain /= period;
        loss /= period;
        result[period] = FromAverages(gain, loss);
        for (var i = period + 1; i < closes.Length; i++)
        {
            var change = closes[i] - closes[i - 1];
            gain = ((gain * (period - 1)) + Math.Max(change, 0)) / period;
            loss = ((loss * (period - 1)) + Math.Max(-change, 0)) / period;
            result[i] = FromAverages(gain, loss);
        }
        return result;
    }

    private static double FromAverages(double gain, double loss)
    {
        if (loss == 0)
        {
            return gain == 0 ? 50 : 100;
        }
        return 100 - (100 / (1 + (gain / loss)));
    }
}
