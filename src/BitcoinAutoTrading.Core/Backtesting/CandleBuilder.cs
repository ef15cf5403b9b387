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

    public CandleBuilder(MinuteSeries series, CandleInterval interval)
    {
        ArgumentNullException.ThrowIfNull(series);
        _series = series;
        Interval = interval;
        _size = TimeSpan.FromMinutes((int)interval).Ticks;
    }

    public CandleInterval Interval { get; }

    /// <summary>Takes in the minutes up to (not including) index <paramref name="visible"/>; never goes back.</summary>
    public void Advance(int visible)
    {
        for (; _next < visible; _next++)
        {
            var ticks = _series.Ticks[_next];
            // DateTimeOffset ticks count from Monday 0001-01-01, so flooring also starts weeks on Monday as Upbit does.
            var bucket = ticks - (ticks % _size);
            if (bucket != _bucket)
            {
                if (_bucket != long.MinValue)
                {
                    _closed.Add(Forming());
                }
                _bucket = bucket;
                _open = _series.Open[_next];
                _high = _series.High[_next];
                _low = _series.Low[_next];
                _volume = 0;
                _value = 0;
            }
            else
            {
                _high = Math.Max(_high, _series.High[_next]);
                _low = Math.Min(_low, _series.Low[_next]);
            }
            _close = _series.Close[_next];
            _volume += _series.Volume[_next];
            _value += _series.ValueKrw[_next];
        }
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
