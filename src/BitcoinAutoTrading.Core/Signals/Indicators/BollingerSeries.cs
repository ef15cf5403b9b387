namespace BitcoinAutoTrading.Core.Signals.Indicators;

/// <summary>Bollinger middle/upper/lower bands and %B, aligned with the input.</summary>
public sealed record BollingerSeries(double[] Middle, double[] Upper, double[] Lower, double[] PercentB);
