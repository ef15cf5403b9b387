namespace BitcoinAutoTrading.Core.Signals.Sampling;

/// <summary>One bucket of minute data: open of its first minute, close of its last, extremes and summed volume.</summary>
public sealed record SampledBar(DateTimeOffset Start, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume);
