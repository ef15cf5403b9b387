namespace BitcoinAutoTrading.Core.Signals.Indicators;

/// <summary>Exponential moving average, ChartSchool's convention: seeded with the simple average of the first n values, k = 2/(n+1).</summary>
public static class Ema
{
    /// <summary>One value per input; <see cref="double.NaN"/> until <paramref name="period"/> values have been seen.</summary>
    public static double[] Compute(ReadOnlySpan<double> values, int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        var result = new double[values.Length];
        Array.Fill(result, double.NaN);
        if (values.Length < period)
        {
            return result;
        }

        var sum = 0d;
        for (var i = 0; i < period; i++)
        {
            sum += values[i];
        }
        var ema = sum / period;
        result[period - 1] = ema;
        var k = 2d / (period + 1);
        for (var i = period; i < values.Length; i++)
        {
            ema = ((values[i] - ema) * k) + ema;
            result[i] = ema;
        }
        return result;
    }
}
