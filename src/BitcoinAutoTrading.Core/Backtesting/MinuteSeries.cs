using BitcoinAutoTrading.Core.Market;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>A stretch with no stored minute between two stored ones: where it starts and how many minutes are missing.</summary>
public sealed record DataGap(DateTimeOffset After, DateTimeOffset Before, int MissingMinutes);

/// <summary>
/// Stored minutes of one market in time order, held column by column so a year of them (525,600) stays small and fast
/// to scan. Immutable once built; the backtester only ever reads the prefix a decision may see.
/// </summary>
public sealed class MinuteSeries
{
    public const long TicksPerMinute = TimeSpan.TicksPerMinute;

    public MinuteSeries(string market, IReadOnlyList<MarketMinute> minutes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(market);
        ArgumentNullException.ThrowIfNull(minutes);
        Market = market;
        var count = minutes.Count;
        Ids = new long[count];
        Ticks = new long[count];
        Open = new decimal[count];
        High = new decimal[count];
        Low = new decimal[count];
        Close = new decimal[count];
        Volume = new decimal[count];
        ValueKrw = new decimal[count];
        for (var i = 0; i < count; i++)
        {
            var m = minutes[i];
            var ticks = m.Ts.UtcTicks;
            if (ticks % TicksPerMinute != 0)
            {
                throw new ArgumentException($"Minute {m.Ts:o} does not start on a whole minute.", nameof(minutes));
            }
            if (i > 0 && ticks <= Ticks[i - 1])
            {
                throw new ArgumentException("Minutes must be in strictly increasing time order.", nameof(minutes));
            }
            Ids[i] = m.Id;
            Ticks[i] = ticks;
            Open[i] = m.Open;
            High[i] = m.High;
            Low[i] = m.Low;
            Close[i] = m.Close;
            Volume[i] = m.Volume;
            ValueKrw[i] = m.ValueKrw;
        }
    }

    public string Market { get; }

    public int Count => Ticks.Length;

    public long[] Ids { get; }

    /// <summary>Each minute's start as UTC ticks.</summary>
    public long[] Ticks { get; }

    public decimal[] Open { get; }

    public decimal[] High { get; }

    public decimal[] Low { get; }

    public decimal[] Close { get; }

    public decimal[] Volume { get; }

    public decimal[] ValueKrw { get; }

    public DateTimeOffset At(int index) => new(Ticks[index], TimeSpan.Zero);

    /// <summary>The index of the first minute starting at or after <paramref name="instant"/> (Count when none).</summary>
    public int IndexAtOrAfter(DateTimeOffset instant) => LowerBound(instant.UtcTicks);

    /// <summary>The index of the first minute starting after <paramref name="instant"/>: the number of minutes at or before it.</summary>
    public int IndexAfter(DateTimeOffset instant) => LowerBound(instant.UtcTicks + 1);

    public MarketMinute Minute(int index) =>
        new(Ids[index], Market, At(index), Open[index], High[index], Low[index], Close[index], Volume[index], ValueKrw[index]);

    /// <summary>Every hole between stored minutes of [from, to), never filled: the report lists them.</summary>
    public IReadOnlyList<DataGap> Gaps(int from, int to)
    {
        var gaps = new List<DataGap>();
        for (var i = Math.Max(from, 0) + 1; i < Math.Min(to, Count); i++)
        {
            var missing = (Ticks[i] - Ticks[i - 1]) / TicksPerMinute - 1;
            if (missing > 0)
            {
                gaps.Add(new DataGap(At(i - 1), At(i), (int)missing));
            }
        }
        return gaps;
    }

    private int LowerBound(long ticks)
    {
        int lo = 0, hi = Ticks.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Ticks[mid] < ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
