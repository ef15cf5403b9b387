namespace BitcoinAutoTrading.Core.Signals.Sampling;

/// <summary>The newest stored minute the sample saw: the signal references it (<c>market_data_id</c>) and prices from it.</summary>
public sealed record LatestMinute(long Id, DateTimeOffset Timestamp, decimal Close);
