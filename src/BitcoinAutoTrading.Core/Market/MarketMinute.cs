namespace BitcoinAutoTrading.Core.Market;

/// <summary>One stored 1-minute bar of a market; <see cref="Ts"/> is the minute's start in UTC.</summary>
public sealed record MarketMinute(
    long Id, string Market, DateTimeOffset Ts, decimal Open, decimal High, decimal Low, decimal Close,
    decimal Volume, decimal ValueKrw);
