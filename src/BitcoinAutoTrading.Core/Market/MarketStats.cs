namespace BitcoinAutoTrading.Core.Market;

/// <summary>
/// Summary of the stored minutes of a window: <see cref="Open"/> is the first minute's open, <see cref="Close"/> the
/// last minute's close, <see cref="ChangePct"/> the close's change from that open in percent.
/// <see cref="From"/> and <see cref="To"/> are the first and last minutes actually stored, which may lie inside the
/// window asked for when data is missing.
/// </summary>
public sealed record MarketStats(
    string Market,
    DateTimeOffset From,
    DateTimeOffset To,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    decimal ChangePct,
    decimal Volume,
    decimal ValueKrw,
    int Minutes);
