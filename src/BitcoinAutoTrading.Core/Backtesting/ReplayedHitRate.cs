using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Calibration;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>
/// The hit-rate gate's count in a backtest: each replayed BUY/SELL signal (primary, not a fallback) judged at 4 h by
/// <see cref="SignalEvaluator"/>'s rule, counted from the first EvaluateSignals run strictly after its horizon (every
/// <c>evaluateEvery</c> on the UTC clock, as <c>EvaluateSignalsSchedule</c> runs it) on the last minute closed by then —
/// never earlier, so the gate cannot see the future. A signal without a stored price within 10 minutes of its horizon
/// is never judged (live leaves it due; stored history does not change).
/// </summary>
internal sealed class ReplayedHitRate(MinuteSeries series, TimeSpan evaluateEvery)
{
    private static readonly long Horizon = EvaluationHorizon.FourHours.ToTimeSpan().Ticks;

    private readonly Queue<Pending> _pending = new();
    private readonly List<bool> _judged = [];
    private readonly long _every = Math.Max(TimeSpan.TicksPerMinute, evaluateEvery.Ticks);

    /// <summary>A signal as it was stored; signals arrive in time order, so they fall due in that order too.</summary>
    public void Add(DateTimeOffset at, SignalAction action, decimal priceAtSignal)
    {
        if (action == SignalAction.Hold || priceAtSignal <= 0)
        {
            return;
        }
        var target = at.UtcTicks + Horizon;
        // The first run strictly after the horizon: a live signal is stored seconds after its instant, so one at 00:00
        // is not yet 4 h old when EvaluateSignals runs at 04:00:00 and is judged at 08:00.
        var due = ((target / _every) + 1) * _every;
        _pending.Enqueue(new Pending(due, target, action == SignalAction.Buy ? SignalType.Buy : SignalType.Sell, priceAtSignal));
    }

    /// <summary>The newest <paramref name="sampleSize"/> judged signals as of <paramref name="now"/>, as GetRecentHitRateAsync counts them.</summary>
    public SignalHitRate AsOf(DateTimeOffset now, int sampleSize)
    {
        while (_pending.TryPeek(out var signal) && signal.DueTicks <= now.UtcTicks)
        {
            _pending.Dequeue();
            // The last minute the run could read: at or before the horizon, and closed (start + 1 minute) by the run.
            var readable = Math.Min(signal.TargetTicks, signal.DueTicks - MinuteSeries.TicksPerMinute);
            var index = series.IndexAfter(new DateTimeOffset(readable, TimeSpan.Zero)) - 1;
            if (index < 0 || series.Ticks[index] < signal.TargetTicks - SignalEvaluator.MaxPriceAge.Ticks)
            {
                continue;
            }
            var changePct = SignalEvaluator.ChangePct(signal.PriceAtSignal, series.Close[index]);
            _judged.Add(SignalEvaluator.IsCorrect(signal.Type, changePct));
        }

        var sample = Math.Min(Math.Max(sampleSize, 0), _judged.Count);
        var correct = 0;
        for (var i = _judged.Count - sample; i < _judged.Count; i++)
        {
            if (_judged[i])
            {
                correct++;
            }
        }
        return new SignalHitRate(sample, correct);
    }

    private readonly record struct Pending(long DueTicks, long TargetTicks, SignalType Type, decimal PriceAtSignal);
}
