using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using Xunit;

namespace BitcoinAutoTrading.UnitTests.Backtesting;

/// <summary>
/// Review 2 (hostile review of 281fddb..662b11d): the recorded provider now loads signals from a day before --from
/// (BacktestRunner.PrepareAsync: GetSignalsAsync(request.From - HitRateLookback, ...)) so the hit-rate gate has its
/// history, and BacktestEngine.Replay.Run separates "judge only" from "trade" by the signal's FillIndex alone
/// (`signals[s].FillIndex &lt; start`), not by its creation time. BacktestRunner.Recorded maps a signal to the first
/// stored minute at or after its creation rounded UP to the minute (IndexAtOrAfter), so a signal created before --from
/// whose fill minute is the range's first minute — one created in the last minute before --from, or any one created in
/// a gap of stored minutes just before --from — gets FillIndex == start and is traded and reported inside the range.
/// At 281fddb those signals were never loaded (GetSignalsAsync(request.From, ...)), so this is new behaviour.
/// </summary>
public sealed class RecordedLookbackTests
{
    private const string Market = GeneratedMarket.Market;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly RiskSettings Trading = new()
    {
        MinConfidence = 0m,
        SignalBuyThreshold = 0.1m,
        SignalSellThreshold = -0.1m,
        TradeCooldownMinutes = 30,
        VolatilityThresholdPct = 50m,
        MinHitRate = 0m,
        TakeProfitPct = 50m,
    };

    private static List<MarketMinute> Minutes(int count, Func<int, bool>? stored = null) =>
        Enumerable.Range(0, count).Where(i => stored?.Invoke(i) ?? true).Select(i =>
        {
            var price = 100_000_000m + (i * 100_000m);
            return new MarketMinute(i + 1, Market, Start.AddMinutes(i), price, price + 50_000m, price, price + 50_000m, 1m, price);
        }).ToList();

    /// <summary>
    /// A BUY stored at 00:59:30 with --from 01:00: live trading acted on it at 00:59:30, before the range. Expected: the
    /// range's report neither trades it nor counts it (issue brief: "signals before the range must not appear in the
    /// report's signal counts"). Actual on main: Recorded rounds 00:59:30 up to 01:00 = the range's first minute, so
    /// FillIndex == start, BacktestEngine.Run executes it (BacktestEngine.cs: `while (s &lt; signals.Count &amp;&amp;
    /// signals[s].FillIndex == k) Execute(...)`), and it is one BUY order and one reported BUY signal.
    /// </summary>
    [Fact]
    public async Task Run_RecordedSignalCreatedInTheMinuteBeforeFrom_IsNeitherTradedNorCounted()
    {
        var minutes = Minutes(180);
        var from = Start.AddMinutes(60);
        var signals = new List<StoredSignal> { new(1, from.AddSeconds(-30), SignalType.Buy, 0.6m, 0.9m, false) };
        var runner = new BacktestRunner(new InMemoryBacktestData(minutes, signals));

        var prepared = await runner.PrepareAsync(new BacktestRequest
        {
            Market = Market, From = from, To = Start.AddMinutes(180), Provider = BacktestProvider.Recorded,
            Options = new BacktestOptions { SlippageBps = 0 },
        });
        var run = BacktestRunner.Run(prepared, Trading);
        var report = BacktestReport.Of(run, prepared.Gaps);

        Assert.Empty(run.Orders);
        Assert.Empty(run.Signals);
        Assert.Empty(report.SignalsByType);
    }

    /// <summary>
    /// The collector was down 00:30–00:59 (no stored minutes) and the pipeline stored three BUY signals then, at 00:35,
    /// 00:45 and 00:55; --from is 01:00. Expected: none of them is in the range's report. Actual on main: each maps to
    /// the first stored minute after it, 01:00 = the range's first minute, so all three are executed at 01:00 and counted
    /// (three BUY outcomes in SignalsByType, each a refusal or a trade at the range's first open).
    /// </summary>
    [Fact]
    public async Task Run_RecordedSignalsInAGapBeforeFrom_AreNotCountedInTheRange()
    {
        var minutes = Minutes(180, i => i is < 30 or >= 60);
        var from = Start.AddMinutes(60);
        var signals = new List<StoredSignal>
        {
            new(1, Start.AddMinutes(35), SignalType.Buy, 0.6m, 0.9m, false),
            new(2, Start.AddMinutes(45), SignalType.Buy, 0.6m, 0.9m, false),
            new(3, Start.AddMinutes(55), SignalType.Buy, 0.6m, 0.9m, false),
        };
        var runner = new BacktestRunner(new InMemoryBacktestData(minutes, signals));

        var prepared = await runner.PrepareAsync(new BacktestRequest
        {
            Market = Market, From = from, To = Start.AddMinutes(180), Provider = BacktestProvider.Recorded,
            Options = new BacktestOptions { SlippageBps = 0 },
        });
        var run = BacktestRunner.Run(prepared, Trading);

        Assert.Empty(run.Signals);
        Assert.Empty(run.Orders);
    }
    /// <summary>
    /// The same pre-range signal also changes what the range's own signals do (the brief: lookback signals must never
    /// change cooldown, position or equity). A BUY stored at 00:59:30 (--from 01:00) and one stored at 01:10:00 with a
    /// 30-minute cooldown. Expected: the 01:10 BUY is the range's first trade. Actual on main: the pre-range BUY trades at
    /// 01:00 (FillIndex == start), so the 01:10 BUY is refused by COOLDOWN (EntryRules.DecideBuyAsync reads
    /// ReplayFacts.GetLatestOrderAsync = the 01:00 order) and the only order is at 01:00.
    /// </summary>
    [Fact]
    public async Task Run_RecordedSignalCreatedInTheMinuteBeforeFrom_DoesNotCoolDownTheRangesFirstSignal()
    {
        var minutes = Minutes(180);
        var from = Start.AddMinutes(60);
        var signals = new List<StoredSignal>
        {
            new(1, from.AddSeconds(-30), SignalType.Buy, 0.6m, 0.9m, false),
            new(2, from.AddMinutes(10), SignalType.Buy, 0.6m, 0.9m, false),
        };
        var runner = new BacktestRunner(new InMemoryBacktestData(minutes, signals));

        var prepared = await runner.PrepareAsync(new BacktestRequest
        {
            Market = Market, From = from, To = Start.AddMinutes(180), Provider = BacktestProvider.Recorded,
            Options = new BacktestOptions { SlippageBps = 0 },
        });
        var run = BacktestRunner.Run(prepared, Trading);

        var buy = Assert.Single(run.Orders);
        Assert.Equal(2, buy.SignalId);
        Assert.Equal(from.AddMinutes(10), buy.At);
        Assert.DoesNotContain(run.RiskEvents, e => e.Type == RiskEventType.Cooldown);
    }
}
