using BitcoinAutoTrading.Core.Market;

namespace BitcoinAutoTrading.Functions.Api;

public sealed record MarketMinuteResponse(
    long Id, string Market, DateTimeOffset Ts, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, decimal ValueKrw)
{
    public static MarketMinuteResponse From(MarketMinute m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Id, m.Market, m.Ts, m.Open, m.High, m.Low, m.Close, m.Volume, m.ValueKrw);
    }
}

/// <summary>
/// One bar of the history: a stored minute (<see cref="Id"/> set, <see cref="Minutes"/> 1) or a 5 m / 15 m / 1 h rollup
/// starting at <see cref="Ts"/> (no id; <see cref="Minutes"/> is how many stored minutes it aggregates).
/// </summary>
public sealed record MarketBarResponse(
    long? Id, string Market, DateTimeOffset Ts, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, decimal ValueKrw,
    int Minutes)
{
    public static MarketBarResponse From(MarketMinute m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Id, m.Market, m.Ts, m.Open, m.High, m.Low, m.Close, m.Volume, m.ValueKrw, 1);
    }

    public static MarketBarResponse From(MarketBar b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new(null, b.Market, b.Start, b.Open, b.High, b.Low, b.Close, b.Volume, b.ValueKrw, b.Minutes);
    }
}

/// <summary>
/// Bars of <see cref="Resolution"/> starting in the window, newest first; <see cref="Count"/> may be below
/// <see cref="Limit"/> when fewer are stored.
/// </summary>
public sealed record MarketHistoryResponse(
    string Market, string Resolution, int Hours, int Limit, int Count, IReadOnlyList<MarketBarResponse> Items);

/// <summary>One SQL aggregate over the window: first open, last close, extremes, change and volume.</summary>
public sealed record MarketStatsResponse(
    string Market,
    int Hours,
    DateTimeOffset From,
    DateTimeOffset To,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    decimal ChangePct,
    decimal Volume,
    decimal ValueKrw,
    int Minutes)
{
    public static MarketStatsResponse Create(MarketStats s, int hours)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Market, hours, s.From, s.To, s.Open, s.High, s.Low, s.Close, s.ChangePct, s.Volume, s.ValueKrw, s.Minutes);
    }
}
