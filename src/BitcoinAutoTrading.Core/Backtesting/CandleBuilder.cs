using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>
/// Upbit's candles of one timeframe (1h, 4h, 1d in UTC, 1w from Monday) built forward from the minutes only as they
/// become visible, so a decision at t sees the candles the exchange would have served at t: closed ones plus the one
/// still forming.
/// </summary>
public sealed class CandleBuilder
{
    private readonly MinuteSeries _series;
    private readonly long _size;
    private readonly List<Candle> _closed = [];
    private int _next;
    private long _bucket = long.MinValue;
    private decimal _open, _high, _low, _close, _volume, _value;

    /// <param name="series">The minutes, taken in as they become visible.</param>
    /// <param name="interval">The candles' timeframe.</param>
    /// <param name="hourlyHistory">
    /// Hourly bars before the first minute (oldest first), taken in at once: the past a deployed app's Upbit candles
    /// reach back to. Bars that are not whole hours before the first minute are ignored, so nothing is counted twice.
    /// </param>
    public CandleBuilder(MinuteSeries series, CandleInterval interval, IReadOnlyList<Candle>? hourlyHistory = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        _series = series;
        Interval = interval;
        _size = TimeSpan.FromMinutes((int)interval).Ticks;
        var firstMinute = series.Count > 0 ? series.Ticks[0] : long.MaxValue;
        foreach (var bar in hourlyHistory ?? [])
        {
            if (bar.Start.UtcTicks + TimeSpan.TicksPerHour <= firstMinute)
            {
                Add(bar.Start.UtcTicks, bar.Open, bar.High, bar.Low, bar.Close, bar.Volume, bar.ValueKrw);
            }
        }
    }

    public CandleInterval Interval { get; }

    /// <summary>Takes in the minutes up to (not including) index <paramref name="visible"/>; never goes back.</summary>
    public void Advance(int visible)
    {
        for (; _next < visible; _next++)
        {
            Add(_series.Ticks[_next], _series.Open[_next], _series.High[_next], _series.Low[_next], _series.Close[_next],
                _series.Volume[_next], _series.ValueKrw[_next]);
        }
    }

    /// <summary>One minute or one hourly bar, in time order.</summary>
    private void Add(long ticks, decimal open, decimal high, decimal low, decimal close, decimal volume, decimal value)
    {
        // DateTimeOffset ticks count from Monday 0001-01-01, so flooring also starts weeks on Monday as Upbit does.
        var bucket = ticks - (ticks % _size);
        if (bucket != _bucket)
        {
            if (_bucket != long.MinValue)
            {
                _closed.Add(Forming());
            }
            _bucket = bucket;
            _open = open;
            _high = high;
            _low = low;
            _volume = 0;
            _value = 0;
        }
        else
        {
            _high = Math.Max(_high, high);
            _low = Math.Min(_low, low);
        }
        _close = close;
        _volume += volume;
        _value += value;
    }

    /// <summary>The newest <paramref name="count"/> candles, oldest first, the last one possibly still forming.</summary>
    public IReadOnlyList<Candle> Latest(int count)
    {
        if (_bucket == long.MinValue)
        {
            return [];
        }
        var fromClosed = Math.Min(count - 1, _closed.Count);
        var candles = new List<Candle>(fromClosed + 1);
        candles.AddRange(_closed.GetRange(_closed.Count - fromClosed, fromClosed));
        candles.Add(Forming());
        return candles;
    }

    private Candle Forming() =>
        new(_series.Market, new DateTimeOffset(_bucket, TimeSpan.Zero), _open, _high, _low, _close, _volume, _value);
}
