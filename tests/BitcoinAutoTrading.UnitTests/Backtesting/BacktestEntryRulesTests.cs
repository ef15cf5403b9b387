using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using Xunit;

namespace BitcoinAutoTrading.UnitTests.Backtesting;

/// <summary>
/// The backtester decides entries with live trading's <see cref="EntryRules"/>, so the checks added to live trading
/// after the backtester was written hold in a replay too: the hit-rate gate (issue #16) on the signals' 4 h outcomes as
/// EvaluateSignals records them, and the refusal on missing data (issue #12).
/// </summary>
public sealed class BacktestEntryRulesTests
{
    private const string Market = GeneratedMarket.Market;
    // 2026-03-02 00:00 UTC: EvaluateSignals runs at 00:00, 04:00, 08:00 … UTC.
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly RiskSettings Settings = new()
    {
        MinConfidence = 0m,
        TradeCooldownMinutes = 0,
        PositionSizeMinPct = 1m,
        PositionSizeMaxPct = 1m,
        MaxExposurePct = 90m,
        VolatilityThresholdPct = 50m,
        MinHitRate = 0.40m,
        HitRateSampleSize = 20,
    };

    [Fact]
    public void Run_BuysWrongOverAFullSample_GateRefusesFromTheEvaluationRunThatCompletesTheSample()
    {
        // A flat price makes every BUY wrong at 4 h (no rise beyond the 0.1 % round-trip fee). Signals every 30 minutes
        // from 00:30 fall due in batches of 8 at 08:00, 12:00, 16:00 UTC, so the 20th judged signal exists from 16:00
        // (minute 960) on — not from 12:30, when the 20th signal is 4 h old but no EvaluateSignals run has judged it.
        var series = new MinuteSeries(Market, Flat(24 * 60, 100_000_000m));
        var signals = Enumerable.Range(1, 40).Select(j => Buy(series, 30 * j, id: j)).ToList();

        var run = BacktestEngine.Run(series, signals, Settings, new BacktestOptions(), Start, Start.AddMinutes(24 * 60));

        var refused = run.Signals.Where(s => s.Note == "refused: LOW_CONFIDENCE").Select(s => s.At).ToList();
        Assert.Equal(Start.AddMinutes(960), refused[0]);
        Assert.Equal(Enumerable.Range(32, 9).Select(j => Start.AddMinutes(30 * j)), refused);
        Assert.All(run.Signals.Where(s => s.At < Start.AddMinutes(960)), s => Assert.Equal("order started", s.Note));
        var gate = run.RiskEvents.First(e => e.Type == RiskEventType.LowConfidence);
        Assert.Equal((0m, 0.40m, 32L), (gate.Trigger, gate.Threshold, gate.SignalId));
        Assert.Equal(31, run.Orders.Count);
        // The report tells the gate's refusals from the confidence floor's.
        Assert.Equal(new Dictionary<string, int> { ["LOW_CONFIDENCE hit rate"] = 9 }, BacktestReport.Of(run, []).RefusalsByRule);
    }

    [Fact]
    public void Run_SignalOnTheEvaluationGrid_JudgedByTheRunAfterItsHorizonNotTheOneAtIt()
    {
        // A live signal of 00:00 is stored seconds later, so EvaluateSignals at 04:00:00 finds it 4 h old only at
        // 08:00. Signals every 4 h, all wrong (flat price), sample 5: the fifth judged signal (16:00's) counts from
        // 24:00 — the BUY at 20:00 still trades, the one at 24:00 is refused.
        var series = new MinuteSeries(Market, Flat(30 * 60, 100_000_000m));
        var signals = Enumerable.Range(0, 7).Select(j => Buy(series, Math.Max(1, 240 * j), id: j + 1)).ToList();
        var settings = Settings with { HitRateSampleSize = 5 };

        var run = BacktestEngine.Run(series, signals, settings, new BacktestOptions(), Start, Start.AddMinutes(30 * 60));

        Assert.Equal(
            ["order started", "order started", "order started", "order started", "order started", "order started", "refused: LOW_CONFIDENCE"],
            run.Signals.Select(s => s.Note));
    }

    [Fact]
    public void Run_MinHitRateZero_TheOperatorsOverrideHoldsInTheReplay()
    {
        var series = new MinuteSeries(Market, Flat(24 * 60, 100_000_000m));
        var signals = Enumerable.Range(1, 40).Select(j => Buy(series, 30 * j, id: j)).ToList();

        var run = BacktestEngine.Run(series, signals, Settings with { MinHitRate = 0m }, new BacktestOptions(), Start, Start.AddMinutes(24 * 60));

        Assert.All(run.Signals, s => Assert.Equal("order started", s.Note));
        Assert.Equal(40, run.Orders.Count);
    }

    [Fact]
    public void Run_RisingMarket_BuysRightAtFourHoursKeepTheGateOpen()
    {
        // +0.01 % a minute is +2.4 % over 4 h: every BUY is right, the rate is 1.0 over the full sample.
        var minutes = Enumerable.Range(0, 24 * 60)
            .Select(i => 100_000_000m * (1m + (0.0001m * i)))
            .Select((p, i) => new MarketMinute(i + 1, Market, Start.AddMinutes(i), p, p, p, p, 1m, p))
            .ToList();
        var series = new MinuteSeries(Market, minutes);
        var signals = Enumerable.Range(1, 40).Select(j => Buy(series, 30 * j, id: j)).ToList();

        var run = BacktestEngine.Run(series, signals, Settings, new BacktestOptions(), Start, Start.AddMinutes(24 * 60));

        Assert.DoesNotContain(run.RiskEvents, e => e.Type == RiskEventType.LowConfidence);
    }

    [Fact]
    public void Run_SignalRightAfterAGapInTheData_RefusedAsVolatilityHaltLikeLive()
    {
        // Minutes 60–69 are missing: the BUY at minute 70 has no stored minute in its 5-minute window and fails closed
        // (SPEC §5.3), as EntryRiskEvaluator does when the collector was down. The BUY at minute 100 trades.
        var minutes = Flat(120, 100_000_000m).Where(m => m.Ts < Start.AddMinutes(60) || m.Ts >= Start.AddMinutes(70)).ToList();
        var series = new MinuteSeries(Market, minutes);
        var signals = new List<ReplayedSignal>
        {
            new(Start.AddMinutes(70), series.IndexAtOrAfter(Start.AddMinutes(70))) { Recorded = ReplayedSignal.FromStored(SignalAction.Buy, 0.6m, 1m), SignalId = 1 },
            new(Start.AddMinutes(100), series.IndexAtOrAfter(Start.AddMinutes(100))) { Recorded = ReplayedSignal.FromStored(SignalAction.Buy, 0.6m, 1m), SignalId = 2 },
        };

        var run = BacktestEngine.Run(series, signals, Settings, new BacktestOptions(), Start, Start.AddMinutes(120));

        Assert.Equal(["refused: VOLATILITY_HALT", "order started"], run.Signals.Select(s => s.Note));
        var halt = Assert.Single(run.RiskEvents);
        Assert.Equal((RiskEventType.VolatilityHalt, 0m, 1m, 1L), (halt.Type, halt.Trigger, halt.Threshold, halt.SignalId));
        Assert.Equal("no recent minute", halt.Reason);
        Assert.Equal(Start.AddMinutes(100), Assert.Single(run.Orders).At);
    }

    private static ReplayedSignal Buy(MinuteSeries series, int minute, long id) =>
        new(series.At(minute), minute) { Recorded = ReplayedSignal.FromStored(SignalAction.Buy, 0.6m, 1m), SignalId = id };

    private static List<MarketMinute> Flat(int count, decimal price) => GeneratedMarket.Flat(Start, count, price);
}
