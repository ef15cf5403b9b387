using System.Text.Json;
using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Calibration;
using BitcoinAutoTrading.Core.Trading;
using Xunit;

namespace BitcoinAutoTrading.UnitTests.Backtesting;

/// <summary>
/// Issue 13's hostile audit: each test states what live trading (or the issue) requires and fails where the backtester
/// disagrees. The comments cite the live code that sets the expectation.
/// </summary>
public sealed class BacktestAuditTests
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
    };

    /// <summary>
    /// Live trading analyses the newest 200 candles of every timeframe that Upbit serves
    /// (MultiTimeframeAnalyzer.AnalyzeAsync, CandleCount = 200), so on any day with 200 days of history its 1d timeframe
    /// (weight 2, SPEC §4.2) has EMA50, MACD and the rest defined. The backtester builds candles only from the minutes
    /// it loads, from 14 days before --from (TechnicalSignalReplay.WarmUp), so its 1d timeframe sees 14 candles and its
    /// 1w 3: the confluence, the score and so the trades differ from live although the market is the same. Expected: the
    /// backtester's analysis at t equals the analysis over all history stored before t (which is what Upbit would serve).
    /// </summary>
    [Fact]
    public async Task PrepareAsync_DailyCandlesWithMonthsOfHistory_SeeTheCandlesLiveTradingGetsFromUpbit()
    {
        var minutes = GeneratedMarket.Minutes(Start, 215 * 1440, seed: 11);
        var from = Start.AddDays(212);
        var to = from.AddHours(3);
        var series = new MinuteSeries(Market, minutes);
        // What live trading computes at each signal time: the candles of all the history before that instant.
        var live = await TechnicalSignalReplay.BuildAsync(series, from, to, TimeSpan.FromMinutes(30));

        var prepared = await new BacktestRunner(new InMemoryBacktestData(minutes)).PrepareAsync(
            new BacktestRequest { Market = Market, From = from, To = to });

        // The prepared list also holds the day before --from, replayed for the hit-rate gate only.
        var inRange = prepared.Signals.Where(s => s.At >= from).ToList();
        Assert.Equal(live.Count, inRange.Count);
        Assert.Equal(live.Select(s => s.ProviderScore), inRange.Select(s => s.ProviderScore));
        var liveDay = live[0].Analysis!.Timeframes.Single(t => t.Timeframe == CandleInterval.Day);
        var backtestDay = inRange[0].Analysis!.Timeframes.Single(t => t.Timeframe == CandleInterval.Day);
        Assert.Equal(200, liveDay.CandleCount);
        Assert.Equal(liveDay.CandleCount, backtestDay.CandleCount);
    }

    /// <summary>
    /// A stored signal is created after its minute began (GenerateSignal stores it when the provider has answered:
    /// SignalRunner.RunAsync inserts after RunPrimaryAsync; Gemini takes seconds, up to 10 s a try, SPEC §4.4). Live
    /// trading fills it at the ticker after that instant (SPEC §8.3), and SPEC §14 asks for "the next minute's open".
    /// The recorded replay floors created_at to its minute and fills at that minute's open — a price from before the
    /// signal existed. Expected: a signal created at 12:30:40 fills at the 12:31 open.
    /// </summary>
    [Fact]
    public async Task PrepareAsync_RecordedSignalCreatedMidMinute_FillsAtTheFirstOpenAfterIt()
    {
        var minutes = Enumerable.Range(0, 120).Select(i =>
        {
            var price = 100_000_000m + (i * 100_000m);
            return new MarketMinute(i + 1, Market, Start.AddMinutes(i), price, price + 50_000m, price, price + 50_000m, 1m, price);
        }).ToList();
        var createdAt = Start.AddMinutes(30).AddSeconds(40);
        var signals = new List<StoredSignal> { new(1, createdAt, SignalType.Buy, 0.6m, 0.9m, false) };
        var runner = new BacktestRunner(new InMemoryBacktestData(minutes, signals));

        var prepared = await runner.PrepareAsync(new BacktestRequest
        {
            Market = Market, From = Start, To = Start.AddMinutes(120), Provider = BacktestProvider.Recorded,
            Options = new BacktestOptions { SlippageBps = 0 },
        });
        var run = BacktestRunner.Run(prepared, Trading with { TakeProfitPct = 50 });

        var buy = Assert.Single(run.Orders);
        Assert.True(buy.At >= createdAt, $"filled at {buy.At:o}, before the signal was created at {createdAt:o}");
        Assert.Equal(minutes[31].Open, buy.Price);
    }

    /// <summary>
    /// `--set min_confidence=.7` (or +5, 5., 05) is a number the operator typed; decimal.TryParse accepts it, and then
    /// ParseSettingValue hands the raw text to JsonDocument.Parse, which is stricter than decimal and throws
    /// JsonException — not a BacktestInputException/CliException, so `bat` prints a stack trace instead of a clear error
    /// (issue 13 Must 1: "clear errors for bad flags"). Expected: the number itself.
    /// </summary>
    [Theory]
    [InlineData(".7", 0.7)]
    [InlineData("+5", 5)]
    [InlineData("5.", 5)]
    [InlineData("05", 5)]
    public void ParseSettingValue_NumberAsDecimalReadsIt_IsThatNumber(string text, double expected)
    {
        var value = BacktestRunner.ParseSettingValue(text);

        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        Assert.Equal((decimal)expected, value.GetDecimal());
    }

    /// <summary>
    /// Stored minutes that end inside the 14-day warm-up (e.g. 14 days imported, then --to a month later) leave nothing
    /// to trade; PrepareAsync lets it through (its check compares the warm-up's end with --to, not with the data), and
    /// BacktestEngine.Run then throws ArgumentException, which CliContext does not catch: a stack trace. Issue 13 Must 8:
    /// "a range shorter than the 14-day warm-up (error naming the warm-up)". Expected: BacktestInputException naming it.
    /// </summary>
    [Fact]
    public async Task PrepareAndRun_StoredMinutesEndWithinTheWarmUp_ErrorNamesTheWarmUp()
    {
        var minutes = GeneratedMarket.Minutes(Start, 14 * 1440);
        var runner = new BacktestRunner(new InMemoryBacktestData(minutes));

        var error = await Record.ExceptionAsync(async () =>
        {
            var prepared = await runner.PrepareAsync(new BacktestRequest { Market = Market, From = Start, To = Start.AddDays(30) });
            BacktestRunner.Run(prepared, Trading);
        });

        var input = Assert.IsType<BacktestInputException>(error);
        Assert.Contains("warm-up", input.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// `bat sweep --holdout 30%` over a range whose stored minutes end before the split (--to past the import): the
    /// held-out part has no minute, BacktestEngine.Run throws ArgumentException inside Parallel.For, and the sweep dies
    /// with an AggregateException that CliContext does not catch. Issue 13 Must 1/8: a range without data is a clear
    /// error. Expected: BacktestInputException saying the held-out part has no stored minutes.
    /// </summary>
    [Fact]
    public async Task Run_HoldoutAfterTheLastStoredMinute_ErrorSaysTheHeldOutPartHasNoData()
    {
        var minutes = GeneratedMarket.Minutes(Start, 20 * 1440);
        var prepared = await new BacktestRunner(new InMemoryBacktestData(minutes)).PrepareAsync(
            new BacktestRequest { Market = Market, From = Start.AddDays(14), To = Start.AddDays(40) });
        var grid = SweepGrid.Combinations(new Dictionary<string, IReadOnlyList<JsonElement>>
        {
            ["stop_loss_pct"] = [BacktestRunner.ParseSettingValue("3"), BacktestRunner.ParseSettingValue("5")],
        });

        var error = Record.Exception(() => SweepGrid.Run(prepared, Trading, grid, 0.3, maxParallelism: 1));

        Assert.IsType<BacktestInputException>(error);
    }

    /// <summary>
    /// `--rank-by profit_factor`: a combination with no losing trade has no profit factor (null), and RankValue turns
    /// null into decimal.MaxValue — so a combination that never traded at all (0 trades, 0 % return) ranks first, above
    /// one that made money. A trader reading the sweep's top row would pick settings that do nothing. Expected: a
    /// combination without trades ranks below a profitable one.
    /// </summary>
    [Fact]
    public void RankValue_ProfitFactorOfACombinationThatNeverTraded_RanksBelowAProfitableOne()
    {
        var series = new MinuteSeries(Market, Flat(120, 100_000_000m));
        var idle = BacktestReport.Of(BacktestEngine.Run(series, [], Trading, new BacktestOptions(), Start, Start.AddMinutes(120)), []);
        var profitable = idle with { TradeCount = 10, ProfitFactor = 2.5m, TotalReturnPct = 4m, WinRatePct = 60m };

        Assert.Equal(0, idle.TradeCount);
        Assert.True(
            SweepGrid.RankValue(profitable, "profit_factor") > SweepGrid.RankValue(idle, "profit_factor"),
            "a combination that never traded ranks above one with profit factor 2.5");
    }

    [Fact]
    public void Of_RunWithoutAClosedTrade_WinRateIsAbsentAndRanksBelowAnyRealOne()
    {
        var series = new MinuteSeries(Market, Flat(120, 100_000_000m));
        var idle = BacktestReport.Of(BacktestEngine.Run(series, [], Trading, new BacktestOptions(), Start, Start.AddMinutes(120)), []);
        var losing = idle with { TradeCount = 4, WinRatePct = 0m };

        Assert.Null(idle.WinRatePct);
        Assert.True(SweepGrid.RankValue(losing, "win_rate") > SweepGrid.RankValue(idle, "win_rate"));
    }

    /// <summary>
    /// Sortino divides the mean daily return by the downside deviation; a run without a single losing day has no
    /// downside, and BacktestReport.Ratio then reports 0 — the value of a run that earned nothing. `--rank-by sortino`
    /// therefore puts a combination that only ever gained below any combination that lost on some days. Expected: a
    /// run that gained on one day and never lost ranks above one with a Sortino of 1.5.
    /// </summary>
    [Fact]
    public void RankValue_SortinoOfARunWithoutALosingDay_RanksAboveARunWithLosingDays()
    {
        // Three days flat at 100,000,000 but for a rise to 104,000,000 on the first day's afternoon (take-profit 3 %).
        var minutes = Flat(3 * 1440, 100_000_000m);
        for (var i = 600; i < minutes.Count; i++)
        {
            minutes[i] = minutes[i] with { Open = 104_000_000m, High = 104_000_000m, Low = 104_000_000m, Close = 104_000_000m };
        }
        var series = new MinuteSeries(Market, minutes);
        var buy = new ReplayedSignal(series.At(60), 60) { Recorded = ReplayedSignal.FromStored(SignalAction.Buy, 0.6m, 1m), SignalId = 1 };
        var settings = Trading with { TakeProfitPct = 3m, PositionSizeMinPct = 25, PositionSizeMaxPct = 25 };
        var run = BacktestEngine.Run(series, [buy], settings, new BacktestOptions { SlippageBps = 0 }, Start, Start.AddDays(3));
        var neverLost = BacktestReport.Of(run, []);
        var lostSomeDays = neverLost with { Sortino = 1.5m };

        Assert.True(neverLost.TotalReturnPct > 0 && neverLost.MaxDrawdownPct < 0.1m, $"return {neverLost.TotalReturnPct} %, drawdown {neverLost.MaxDrawdownPct} %");
        Assert.True(
            SweepGrid.RankValue(neverLost, "sortino") > SweepGrid.RankValue(lostSomeDays, "sortino"),
            $"Sortino of a run without a losing day: {neverLost.Sortino}");
    }

    /// <summary>
    /// CAGR annualises the return with Math.Pow(final/initial, 1/years) and casts the double to decimal: over a short
    /// run (an hour, a day of a strong move, the held-out tail of a short sweep) the power exceeds decimal's range and
    /// BacktestReport.Of throws OverflowException — no report at all, and `bat` prints a stack trace. Expected: a
    /// report (CAGR of a sub-year run is not meaningful; it may be left out, but the rest must be reported).
    /// </summary>
    [Fact]
    public void Of_OneHourRunThatGainedFivePercent_ReportsInsteadOfOverflowing()
    {
        var minutes = Flat(60, 100_000_000m);
        for (var i = 20; i < minutes.Count; i++)
        {
            minutes[i] = minutes[i] with { Open = 110_000_000m, High = 110_000_000m, Low = 110_000_000m, Close = 110_000_000m };
        }
        var series = new MinuteSeries(Market, minutes);
        var buy = new ReplayedSignal(series.At(5), 5) { Recorded = ReplayedSignal.FromStored(SignalAction.Buy, 0.6m, 1m), SignalId = 1 };
        var settings = Trading with { PositionSizeMinPct = 50, PositionSizeMaxPct = 50, TakeProfitPct = 50 };
        var run = BacktestEngine.Run(series, [buy], settings, new BacktestOptions { SlippageBps = 0 }, Start, Start.AddMinutes(60));

        var report = Record.Exception(() => BacktestReport.Of(run, []));

        Assert.Null(report);
        Assert.True(run.FinalEquityKrw > 1_040_000m);
    }

    /// <summary>
    /// The volatility window. Live trading asks MarketDataRepository.GetHistoryAsync for <c>ts &gt;= now − 5 min</c>
    /// (EntryRules.DecideBuyAsync, since = now − VolatilityWindow), and live <c>now</c> is always after the minute
    /// boundary (GenerateSignal's timer fires at :00/:30 and the entry check runs after sampling, analysis and the
    /// provider), so at 12:30:01 live sees the closed minutes 12:26–12:29. The backtest decides at exactly 12:30:00 and
    /// so also counts 12:25: a wide 12:25 minute refuses in the backtest (VOLATILITY_HALT) an entry live trading makes.
    /// The parity test cannot see it: its fake clock stands exactly on the minute. Expected: the same verdict.
    /// Resolved on live's side: EntryRules now floors <c>now</c> to the minute before taking 5 minutes off, so both judge
    /// the five closed minutes 12:25–12:29 (SPEC §5.1's 5-minute range) and both refuse.
    /// </summary>
    [Fact]
    public async Task Run_WideMinuteFiveMinutesBeforeTheSignal_DecidesAsLiveTradingDoesASecondAfterTheMinute()
    {
        var minutes = Flat(60, 100_000_000m);
        // 12:25 of a 12:30 signal: a 4 % range, above the 3 % threshold; every other minute is flat.
        minutes[25] = minutes[25] with { High = 102_000_000m, Low = 98_000_000m };
        var series = new MinuteSeries(Market, minutes);
        var settings = Trading with { VolatilityThresholdPct = 3m, PositionSizeMinPct = 10, PositionSizeMaxPct = 10 };
        var buy = new ReplayedSignal(series.At(30), 30) { Recorded = ReplayedSignal.FromStored(SignalAction.Buy, 0.6m, 1m), SignalId = 1 };

        var run = BacktestEngine.Run(series, [buy], settings, new BacktestOptions { SlippageBps = 0 }, Start, Start.AddMinutes(60));
        var liveNow = Start.AddMinutes(30).AddSeconds(1);
        var live = await EntryRules.DecideBuyAsync(new StoredMinutesFacts(minutes.Take(30).ToList(), liveNow), 1m, settings, liveNow);

        Assert.Equal("refused: VOLATILITY_HALT", live.Decision.Note);
        Assert.Equal(live.Decision.Approved ? SignalExecutor.StartedNote : live.Decision.Note, Assert.Single(run.Signals).Note);
    }

    /// <summary>
    /// The hit-rate gate (issue 16) reads the last <c>hit_rate_sample_size</c> judged signals of trading_signals
    /// (SignalRepository.HitRateSql): on the day a backtest's range begins, live trading has the signals of the days
    /// before it. The replay starts its count empty at --from (ReplayedHitRate only sees replayed signals), so for the
    /// first sample-size judged signals (20 by default: ~14 h at a signal every 30 min, and again at the start of every
    /// sweep's held-out part) the gate cannot pause entries live trading would have paused. Expected: a run from t
    /// decides at t as a run over the same signals that began three days earlier.
    /// </summary>
    [Fact]
    public async Task Run_HitRateGateAtTheStartOfTheRange_CountsTheSignalsLiveTradingJudgedBeforeIt()
    {
        var minutes = GeneratedMarket.Minutes(Start, 20 * 1440, seed: 7);
        var series = new MinuteSeries(Market, minutes);
        var from = Start.AddDays(17);
        var to = Start.AddDays(18);
        // The same signals for both runs (the analysis over all stored history), so only the gate's count differs.
        var signals = await TechnicalSignalReplay.BuildAsync(series, Start.AddDays(14), to, TimeSpan.FromMinutes(30));
        var settings = Trading with { MinHitRate = 1m, HitRateSampleSize = 5, TradeCooldownMinutes = 0 };

        var longer = BacktestEngine.Run(series, signals, settings, new BacktestOptions(), Start.AddDays(14), to);
        var fromT = BacktestEngine.Run(series, signals, settings, new BacktestOptions(), from, to);

        var firstBuy = fromT.Signals.First(s => s.Action == SignalAction.Buy);
        Assert.Equal(
            longer.Signals.Single(s => s.At == firstBuy.At).Note,
            firstBuy.Note);
    }

    /// <summary>What StoredEntryFacts reads in production, over the minutes stored by <c>now</c>, with the repository's SQL semantics.</summary>
    private sealed class StoredMinutesFacts(IReadOnlyList<MarketMinute> stored, DateTimeOffset now) : IEntryFacts
    {
        public ValueTask<bool> IsTradingEnabledAsync(CancellationToken cancellationToken) => new(true);

        public ValueTask<DailyLossStatus> CheckDailyLossAsync(CancellationToken cancellationToken) => new(new DailyLossStatus(false, 0m, 5m));

        public ValueTask<HitRateStatus> CheckHitRateAsync(RiskSettings settings, CancellationToken cancellationToken) =>
            new(HitRateGate.Judge(new SignalHitRate(0, 0), settings));

        public ValueTask<Order?> GetLatestOrderAsync(CancellationToken cancellationToken) => new((Order?)null);

        // MarketDataRepository.GetHistoryAsync: WHERE ts >= @since ORDER BY ts DESC LIMIT @limit.
        public ValueTask<IReadOnlyList<MarketMinute>> GetRecentMinutesAsync(DateTimeOffset since, int count, CancellationToken cancellationToken) =>
            new(stored.Where(m => m.Ts >= since).OrderByDescending(m => m.Ts).Take(count).ToList());

        public ValueTask<Holdings> ReadHoldingsForBuyAsync(CancellationToken cancellationToken) => ReadHoldingsAsync(cancellationToken);

        public ValueTask<Holdings> ReadHoldingsAsync(CancellationToken cancellationToken) =>
            new(new Holdings(Market, stored[^1].Close, 1_000_000m, 1_000_000m, 0m, 0m, now));

        public ValueTask<Position?> GetPositionAsync(CancellationToken cancellationToken) => new((Position?)null);
    }

    private static List<MarketMinute> Flat(int count, decimal price) => GeneratedMarket.Flat(Start, count, price);
}
