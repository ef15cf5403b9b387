namespace BitcoinAutoTrading.Core.Signals.Indicators;

/// <summary>Bollinger Bands 20/2 with the population standard deviation (ChartSchool's convention).</summary>
public static class BollingerBands
{
    public static BollingerSeries Compute(ReadOnlySpan<double> closes, int period = 20, double width = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        var middle = new double[closes.Length];
        var upper = new double[closes.Length];
        var lower = new double[closes.Length];
        var percentB = new double[closes.Length];
        Array.Fill(middle, double.NaN);
        Array.Fill(upper, double.NaN);
        Array.Fill(lower, double.NaN);
        Array.Fill(percentB, double.NaN);

        for (var end = period - 1; end < closes.Length; end++)
        {
            var window = closes.Slice(end - period + 1, period);
            var mean = 0d;
            foreach (var value in window)
            {
                mean += value;
            }
            mean /= period;
            // Two-pass variance: no cancellation error for prices in the hundreds of millions.
            var variance = 0d;
            foreach (var value in window)
            {
                variance += (value - mean) * (value - mean);
            }
            var deviation = Math.Sqrt(variance / period);
            middle[end] = mean;
            upper[end] = mean + (width * deviation);
            lower[end] = mean - (width * deviation);
            var bandWidth = upper[end] - lower[end];
            // A flat window has no band to be inside of: call it the middle.
            percentB[end] = bandWidth == 0 ? 0.5 : (closes[end] - lower[end]) / bandWidth;
        }
        return new BollingerSeries(middle, upper, lower, percentB);
    }
}
