namespace BitcoinAutoTrading.Core.Signals.Sampling;

/// <summary>
/// The prompt's view of recent history (SPEC §4.1), oldest first in each list, clock-aligned and without overlap:
/// <see cref="Long"/> 14 days of hourly bars ends where <see cref="Mid"/> (24 h of 15-minute bars, from the hour at or
/// before) begins, which ends where <see cref="Short"/> (1 h of 5-minute bars from the quarter hour at or before, the
/// last one still forming) begins: 336 + 96–99 + 12–14 bins, so every bin but the forming one is a stored rollup.
/// </summary>
public sealed record MarketSample(
    string Market,
    IReadOnlyList<SampledBar> Long,
    IReadOnlyList<SampledBar> Mid,
    IReadOnlyList<SampledBar> Short,
    LatestMinute? Latest)
{
    public static readonly TimeSpan LongStep = TimeSpan.FromMinutes(60);
    public static readonly TimeSpan MidStep = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ShortStep = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan LongSpan = TimeSpan.FromDays(14);
    public static readonly TimeSpan MidSpan = TimeSpan.FromHours(24);
    public static readonly TimeSpan ShortSpan = TimeSpan.FromHours(1);

    public int BarCount => Long.Count + Mid.Count + Short.Count;

    public bool IsEmpty => BarCount == 0;
}
