using BitcoinAutoTrading.Core.Signals.Sampling;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>
/// SPEC §4.1's sample computed in memory from the minutes a decision may see, bin for bin what
/// <c>MarketSamplingQuery</c> returns from PostgreSQL (a test holds both to the same data): the short window ends at the end
/// of the 5-minute bin (origin 2000-01-01 UTC) holding asOf and starts at the quarter hour at or before an hour earlier
/// (12–14 bins); mid is the 15-minute bins from the hour at or before 24 h earlier (96–99); long the 336 hours before
/// that; a bin without minutes is left out; only minutes at or before asOf count.
/// </summary>
/// <remarks>
/// Every bin starts on the 5-minute grid, so each is a union of whole 5-minute cells: the cells are aggregated once,
/// and a 15/60-minute bin once it is complete, so one sample costs ~444 look-ups instead of a scan of 21,600 minutes.
/// </remarks>
public sealed class MinuteSampler
{
    private static readonly long Origin = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly long CellTicks = TimeSpan.FromMinutes(5).Ticks;
    private const int LongBins = 336;

    private readonly MinuteSeries _series;
    private readonly long _firstCell;
    private readonly int[] _cellFirst;
    private readonly int[] _cellLast;
    private readonly Dictionary<long, SampledBar?> _completeBins = [];

    public MinuteSampler(MinuteSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        _series = series;
        if (series.Count == 0)
        {
            _cellFirst = [];
            _cellLast = [];
            return;
        }
        _firstCell = CellOf(series.Ticks[0]);
        var cells = (int)(CellOf(series.Ticks[^1]) - _firstCell + 1);
        _cellFirst = new int[cells];
        _cellLast = new int[cells];
        Array.Fill(_cellFirst, -1);
        Array.Fill(_cellLast, -1);
        for (var i = 0; i < series.Count; i++)
        {
            var cell = (int)(CellOf(series.Ticks[i]) - _firstCell);
            if (_cellFirst[cell] < 0)
            {
                _cellFirst[cell] = i;
            }
            _cellLast[cell] = i;
        }
    }

    /// <summary>
    /// The sample as of <paramref name="asOf"/> over the first <paramref name="visible"/> minutes of the series (those
    /// stored by then): the live sampler's answer at that instant.
    /// </summary>
    public MarketSample Sample(DateTimeOffset asOf, int visible)
    {
        var limit = Math.Min(visible, _series.IndexAfter(asOf));
        // A bin is complete, and may be remembered, when it ends at or before the first minute not visible.
        var firstHidden = limit < _series.Count ? _series.Ticks[limit] : long.MaxValue;
        var asOfTicks = asOf.UtcTicks;
        // The same clock-aligned tiers as MarketSamplingQuery: short from the quarter hour at or before (forming bucket's
        // end − 1 h), mid from the hour at or before (short start − 24 h), long the 336 hours before mid.
        var shortEnd = Origin + (FloorDiv(asOfTicks - Origin, CellTicks) + 1) * CellTicks;
        var shortStart = Floor(shortEnd - TimeSpan.TicksPerHour, 3 * CellTicks);
        var midStart = Floor(shortStart - TimeSpan.TicksPerDay, 12 * CellTicks);
        var longStart = midStart - LongBins * 12 * CellTicks;

        var longBars = Bins(longStart, LongBins, 12, limit, firstHidden);
        var midBars = Bins(midStart, (int)((shortStart - midStart) / (3 * CellTicks)), 3, limit, firstHidden);
        var shortBars = Bins(shortStart, (int)((shortEnd - shortStart) / CellTicks), 1, limit, firstHidden);
        var latest = limit > 0
            ? new LatestMinute(_series.Ids[limit - 1], _series.At(limit - 1), _series.Close[limit - 1])
            : null;
        return new MarketSample(_series.Market, longBars, midBars, shortBars, latest);
    }

    private List<SampledBar> Bins(long start, int count, int cellsPerBin, int limit, long firstHidden)
    {
        var bars = new List<SampledBar>(count);
        var binTicks = cellsPerBin * CellTicks;
        for (var b = 0; b < count; b++)
        {
            var binStart = start + b * binTicks;
            var firstCell = CellOf(binStart) - _firstCell;
            SampledBar? bar;
            if (binStart + binTicks <= firstHidden)
            {
                var key = (firstCell << 4) | (long)cellsPerBin;
                if (!_completeBins.TryGetValue(key, out bar))
                {
                    bar = Aggregate(binStart, firstCell, cellsPerBin, limit);
                    _completeBins[key] = bar;
                }
            }
            else
            {
                bar = Aggregate(binStart, firstCell, cellsPerBin, limit);
            }
            if (bar is not null)
            {
                bars.Add(bar);
            }
        }
        return bars;
    }

    private SampledBar? Aggregate(long binStart, long firstCell, int cells, int limit)
    {
        int first = -1, last = -1;
        decimal high = 0, low = 0, volume = 0;
        for (var c = firstCell; c < firstCell + cells; c++)
        {
            if (c < 0 || c >= _cellFirst.Length || _cellFirst[c] < 0 || _cellFirst[c] >= limit)
            {
                continue;
            }
            var end = Math.Min(_cellLast[c] + 1, limit);
            for (var i = _cellFirst[c]; i < end; i++)
            {
                if (first < 0)
                {
                    first = i;
                    high = _series.High[i];
                    low = _series.Low[i];
                }
                else
                {
                    high = Math.Max(high, _series.High[i]);
                    low = Math.Min(low, _series.Low[i]);
                }
                volume += _series.Volume[i];
                last = i;
            }
        }
        return first < 0
            ? null
            : new SampledBar(new DateTimeOffset(binStart, TimeSpan.Zero), _series.Open[first], high, low, _series.Close[last], volume);
    }

    private static long Floor(long ticks, long step) => Origin + FloorDiv(ticks - Origin, step) * step;

    private static long CellOf(long ticks) => FloorDiv(ticks - Origin, CellTicks);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
