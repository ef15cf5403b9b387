using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Market;

/// <summary>
/// The stored minutes of one clock-aligned bucket [<see cref="Start"/>, <see cref="Start"/> + <see cref="Resolution"/>)
/// in one bar: open of its first minute, close of its last, extremes, summed volume and value, and how many minutes it
/// holds (fewer than the bucket's length when minutes are missing or the bucket is still forming).
/// </summary>
public sealed record MarketBar(
    string Market, CandleInterval Resolution, DateTimeOffset Start, decimal Open, decimal High, decimal Low, decimal Close,
    decimal Volume, decimal ValueKrw, int Minutes);
