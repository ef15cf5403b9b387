namespace BitcoinAutoTrading.Core.Signals.Indicators;

/// <summary>MACD line, its signal line and the histogram (line − signal), aligned with the input.</summary>
public sealed record MacdSeries(double[] Line, double[] Signal, double[] Histogram);
