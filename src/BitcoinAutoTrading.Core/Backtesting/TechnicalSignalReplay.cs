using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Providers;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>
/// Runs the live signal pipeline's market side at every signal time of a range: the §4.1 sample and the 1h–1w candles
/// from the minutes stored before that instant only, the same indicators and confluence
/// (<see cref="MultiTimeframeAnalyzer.Analyze"/>) and the technical provider. The result does not depend on risk
/// settings, so a sweep computes it once for every combination.
/// </summary>
public static class TechnicalSignalReplay
{
    /// <summary>SPEC §4.1's long window: the history a decision needs before the first one counts.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromDays(14);

    /// <summary>
    /// How far back the 1h–1w candles reach: live trading asks Upbit for the newest 200 of each, and 200 weeks is the
    /// longest; the backtester rebuilds them from the stored hourly bars before the loaded minutes.
    /// </summary>
    public static readonly TimeSpan CandleHistory = TimeSpan.FromDays(7 * MultiTimeframeAnalyzer.CandleCount);

    public static async Task<IReadOnlyList<ReplayedSignal>> BuildAsync(
        MinuteSeries series, DateTimeOffset from, DateTimeOffset to, TimeSpan every, ISignalProvider? provider = null,
        IReadOnlyList<Candle>? hourlyHistory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        provider ??= new TechnicalSignalProvider();
        var sampler = new MinuteSampler(series);
        var builders = Confluence.Timeframes.Select(t => new CandleBuilder(series, t.Timeframe, hourlyHistory)).ToList();
        var signals = new List<ReplayedSignal>();
        var everyTicks = every.Ticks;
        var first = from.UtcTicks % everyTicks == 0 ? from.UtcTicks : from.UtcTicks - (from.UtcTicks % everyTicks) + everyTicks;
        for (var ticks = first; ticks < to.UtcTicks; ticks += everyTicks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var at = new DateTimeOffset(ticks, TimeSpan.Zero);
            var visible = series.IndexAtOrAfter(at);
            // No minute starts at the signal time: it falls in a gap, and there is no next open to fill at; it is
            // left out and the run reports the gaps.
            if (visible >= series.Count || series.Ticks[visible] != ticks || visible == 0)
            {
                continue;
            }
            foreach (var builder in builders)
            {
                builder.Advance(visible);
            }
            var candles = builders.Select(b => (b.Interval, b.Latest(MultiTimeframeAnalyzer.CandleCount))).ToList();
            var analysis = MultiTimeframeAnalyzer.Analyze(candles);
            var sample = sampler.Sample(at, visible);
            var answer = await provider.GetSignalAsync(
                new SignalContext(series.Market, sample, analysis, ""), cancellationToken).ConfigureAwait(false);
            signals.Add(new ReplayedSignal(at, visible) { ProviderScore = answer.ActionScore, Analysis = analysis });
        }
        return signals;
    }
}
