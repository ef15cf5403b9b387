using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.IntegrationTests.EndToEnd;

/// <summary>
/// The generated market of the end-to-end scenario: a flat pre-history, a steady rise, a one-hour crash and a slow
/// recovery, one close per minute on Upbit's 1,000 KRW tick. Minute 0 is <see cref="Start"/>; the pre-history lies
/// before it so the first collection and the higher timeframes have data.
/// </summary>
internal sealed class ScenarioMarket
{
    public const string Market = "KRW-BTC";
    public const int PreHistoryMinutes = 2 * 24 * 60;
    public const int RiseEnd = 360;
    public const int CrashEnd = 420;
    public const int RecoveryEnd = 1620;

    private const decimal Base = 100_000_000m;
    private const decimal RiseTop = 103_000_000m;
    private const decimal CrashBottom = 94_000_000m;
    private const decimal RecoveryTop = 99_000_000m;

    private readonly List<Candle> _minutes;

    public ScenarioMarket(DateTimeOffset start)
    {
        Start = start;
        _minutes = Enumerable.Range(-PreHistoryMinutes, PreHistoryMinutes + RecoveryEnd + 1).Select(Bar).ToList();
    }

    /// <summary>00:00 UTC = 09:00 KST: the scenario's minute 0.</summary>
    public DateTimeOffset Start { get; }

    public IReadOnlyList<Candle> Minutes => _minutes;

    public DateTimeOffset At(int minute) => Start.AddMinutes(minute);

    /// <summary>The close of the given minute (relative to <see cref="Start"/>).</summary>
    public static decimal Close(int minute)
    {
        decimal raw = minute switch
        {
            // A gentle 4-hour wave keeps the pre-history from being a flat line the indicators divide by.
            < 0 => Base + 200_000m * (decimal)Math.Sin(minute * Math.PI / 120),
            < RiseEnd => Base + (RiseTop - Base) * minute / RiseEnd,
            < CrashEnd => RiseTop - (RiseTop - CrashBottom) * (minute - RiseEnd) / (CrashEnd - RiseEnd),
            _ => CrashBottom + (RecoveryTop - CrashBottom) * (minute - CrashEnd) / (RecoveryEnd - CrashEnd),
        };
        return Math.Round(raw / 1_000m, MidpointRounding.AwayFromZero) * 1_000m;
    }

    /// <summary>The last traded price while minute <paramref name="forming"/> is in progress: the previous minute's close.</summary>
    public static decimal LastPrice(int forming) => Close(forming - 1);

    /// <summary>Closed and forming candles of a higher timeframe as of the clock, built from the minutes like Upbit's.</summary>
    public IReadOnlyList<Candle> CandlesAsOf(CandleInterval interval, DateTimeOffset now)
    {
        var size = TimeSpan.FromMinutes((int)interval);
        return _minutes
            .Where(m => m.Start < now)
            .GroupBy(m => new DateTimeOffset(m.Start.UtcTicks - (m.Start.UtcTicks % size.Ticks), TimeSpan.Zero))
            .Select(g => new Candle(
                Market, g.Key, g.First().Open, g.Max(m => m.High), g.Min(m => m.Low), g.Last().Close,
                g.Sum(m => m.Volume), g.Sum(m => m.ValueKrw)))
            .ToList();
    }

    private Candle Bar(int minute)
    {
        var open = Close(minute - 1);
        var close = Close(minute);
        return new Candle(
            Market, At(minute), open, Math.Max(open, close), Math.Min(open, close), close, 0.5m, close * 0.5m);
    }
}
