namespace BitcoinAutoTrading.Core.Signals.Indicators;

/// <summary>MACD 12/26/9: EMA12 − EMA26, signal = EMA9 of the MACD line from its first defined value.</summary>
public static class Macd
{
    public static MacdSeries Compute(ReadOnlySpan<double> closes, int fast = 12, int slow = 26, int signal = 9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fast, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slow, fast);
        ArgumentOutOfRangeException.ThrowIfLessThan(signal, 1);

        var fastEma = Ema.Compute(closes, fast);
        var slowEma = Ema.Compute(closes, slow);
        var line = new double[closes.Length];
        for (var i = 0; i < closes.Length; i++)
        {
            line[i] = fastEma[i] - slowEma[i];
        }

        var signalLine = new double[closes.Length];
        var histogram = new double[closes.Length];
        Array.Fill(signalLine, double.NaN);
        Array.Fill(histogram, double.NaN);
        var first = slow - 1;
        if (closes.Length > first)
        {
            var signalFromFirst = Ema.Compute(line.AsSpan(first), signal);
            for (var i = 0; i < signalFromFirst.Length; i++)
            {
                signalLine[first + i] = signalFromFirst[i];
                histogram[first + i] = line[first + i] - signalFromFirst[i];
            }
        }
        return new MacdSeries(line, signalLine, histogram);
    }
}
