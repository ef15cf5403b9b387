using System.Text.Json;
using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using Xunit;

namespace BitcoinAutoTrading.UnitTests.Backtesting;

public sealed class BacktestEngineTests
{
    private const string Market = GeneratedMarket.Market;
    // 2026-03-02 00:00 UTC = 09:00 KST; the KST day turns at 15:00 UTC and RollDailyStats runs at 15:05.
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly RiskSettings Trading = new()
    {
        MinConfidence = 0m,
        SignalBuyThreshold = 0.1m,
        SignalSellThreshold = -0.1m,
        TradeCooldownMinutes = 30,
        VolatilityThresholdPct = 50m,
    };

    [Fact]
    public async Task Run_DataCutAfterMinuteT_ChangesNoDecisionAtOrBeforeT()
    {
        var minutes = GeneratedMarket.Minutes(Start, 24 * 1440, seed: 7);
        var from = Start.AddDays(14);
        var to = Start.AddDays(24);
        // t in the middle of a week, a day and an hour, so every forming candle would carry later minutes if it could.
        var t = Start.AddDays(19).AddHours(10).AddMinutes(17);
        var full = await PrepareAsync(minutes, from, to);
        var cut = await PrepareAsync(minutes.Where(m => m.Ts <= t).ToList(), from, to);

        var fullRun = BacktestRunner.Run(full, Trading);
        var cutRun = BacktestRunner.Run(cut, Trading);

        var fullSignals = full.Signals.Where(s => s.At <= t).Select(s => (s.At, s.ProviderScore, s.Decide(new(0.1m, -0.1m)))).ToList();
        var cutSignals = cut.Signals.Where(s => s.At <= t).Select(s => (s.At, s.ProviderScore, s.Decide(new(0.1m, -0.1m)))).ToList();
        Assert.True(fullSignals.Count > 200, "the range must hold many decisions before t");
        Assert.Equal(fullSignals, cutSignals);
        var fullOrders = fullRun.Orders.Where(o => o.At <= t).ToList();
        Assert.NotEmpty(fullOrders);
        Assert.Equal(fullOrders, cutRun.Orders.Where(o => o.At <= t).ToList());
        Assert.Equal(fullRun.Signals.Where(s => s.At <= t), cutRun.Signals.Where(s => s.At <= t));
        Assert.Equal(fullRun.RiskEvents.Where(e => e.At <= t), cutRun.RiskEvents.Where(e => e.At <= t));
        var minutesToT = cutRun.Equity.Length;
        Assert.Equal(fullRun.Equity.Take(minutesToT), cutRun.Equity);
    }

    [Fact]
    public void Run_StopLoss_SellsAtTheNextMinutesOpenWithSlippageFeeAndEightDecimals()
    {
        // Flat at 100,000,000, a recorded BUY at minute 10, then the close falls 6 % at minute 40.
        var minutes = Flat(120, 100_000_000m);
        minutes[40] = minutes[40] with { Close = 94_000_000m, Low = 94_000_000m };
        for (var i = 41; i < minutes.Count; i++)
        {
            minutes[i] = minutes[i] with { Open = 94_000_000m, High = 94_000_000m, Low = 94_000_000m, Close = 94_000_000m };
        }
        var series = new MinuteSeries(Market, minutes);
        var signals = new List<ReplayedSignal> { Buy(series, 10, 0.8m) };
        var options = new BacktestOptions { SlippageBps = 10m };
        var settings = Trading with { PositionSizeMinPct = 20, PositionSizeMaxPct = 20 };

        var run = BacktestEngine.Run(series, signals, settings, options, Start, Start.AddMinutes(120));

        Assert.Collection(run.Orders,
            buy =>
            {
                Assert.Equal((OrderSide.Buy, OrderReason.Signal, Start.AddMinutes(10)), (buy.Side, buy.Reason, buy.At));
                Assert.Equal(100_100_000m, buy.Price); // open + 10 bps
                Assert.Equal(MarketOrderPricing.Floor8(200_000m / 100_100_000m), buy.Volume);
                Assert.Equal(MarketOrderPricing.Round8(buy.Volume * buy.Price), buy.FundsKrw);
                Assert.Equal(MarketOrderPricing.Round8(buy.FundsKrw * 0.0005m), buy.FeeKrw);
            },
            sell =>
            {
                // Minute 40's close is seen when minute 41 opens: the exit fills at minute 41's open less 10 bps.
                Assert.Equal((OrderSide.Sell, OrderReason.StopLoss, Start.AddMinutes(41)), (sell.Side, sell.Reason, sell.At));
                Assert.Equal(93_906_000m, sell.Price);
                Assert.True(sell.RealizedPnlKrw < 0);
            });
        Assert.Equal(RiskEventType.StopLoss, Assert.Single(run.RiskEvents, e => e.Type == RiskEventType.StopLoss).Type);
        var buyOrder = run.Orders[0];
        var sellOrder = run.Orders[1];
        Assert.Equal(sellOrder.Volume, buyOrder.Volume);
        Assert.Equal(1_000_000m - buyOrder.FundsKrw - buyOrder.FeeKrw + sellOrder.FundsKrw - sellOrder.FeeKrw, run.FinalKrw);
        Assert.Equal(0m, run.FinalCoin);
    }

    [Fact]
    public void Run_DailyLossHalt_RefusesEntriesUntilTheRollAtFiveAfterMidnightKst()
    {
        // A loss of ~2.4 % of equity at 03:00 UTC halts the day (limit 1 %); BUYs at 10:00 and 15:02 UTC (00:02 KST, before
        // the roll) are refused; the BUY at 15:30 UTC, after the 15:05 roll, trades.
        var minutes = Flat(20 * 60, 100_000_000m);
        for (var i = 3 * 60; i < minutes.Count; i++)
        {
            minutes[i] = minutes[i] with { Open = 90_000_000m, High = 90_000_000m, Low = 90_000_000m, Close = 90_000_000m };
        }
        var series = new MinuteSeries(Market, minutes);
        var signals = new List<ReplayedSignal>
        {
            Buy(series, 60, 1m, id: 1),
            Buy(series, 10 * 60, 1m, id: 2),
            Buy(series, 15 * 60 + 2, 1m, id: 3),
            Buy(series, 15 * 60 + 30, 1m, id: 4),
        };
        var settings = Trading with { PositionSizeMinPct = 25, PositionSizeMaxPct = 25, DailyLossLimitPct = 1m };

        var run = BacktestEngine.Run(series, signals, settings, new BacktestOptions { SlippageBps = 0 }, Start, Start.AddMinutes(minutes.Count));

        Assert.Equal(
            ["BUY Signal 01:00", "SELL StopLoss 03:01", "BUY Signal 15:30"],
            run.Orders.Select(o => $"{o.Side.ToString().ToUpperInvariant()} {o.Reason} {o.At:HH:mm}"));
        Assert.Equal([2L, 3L], run.RiskEvents.Where(e => e.Type == RiskEventType.DailyLimit && e.SignalId is not null).Select(e => e.SignalId!.Value));
        Assert.Single(run.RiskEvents, e => e.Type == RiskEventType.DailyLimit && e.SignalId is null);
        Assert.Equal(["order started", "refused: DAILY_LIMIT", "refused: DAILY_LIMIT", "order started"], run.Signals.Select(s => s.Note));
    }

    [Fact]
    public void Run_SecondBuyWithinTheCooldown_IsRefusedAsCooldown()
    {
        var series = new MinuteSeries(Market, Flat(120, 100_000_000m));
        var signals = new List<ReplayedSignal> { Buy(series, 10, 1m, id: 1), Buy(series, 30, 1m, id: 2), Buy(series, 40, 1m, id: 3) };
        var settings = Trading with { TradeCooldownMinutes = 30, PositionSizeMinPct = 10, PositionSizeMaxPct = 10 };

        var run = BacktestEngine.Run(series, signals, settings, new BacktestOptions(), Start, Start.AddMinutes(120));

        Assert.Equal(["order started", "refused: COOLDOWN", "order started"], run.Signals.Select(s => s.Note));
        Assert.Equal(20m, Assert.Single(run.RiskEvents).Trigger);
    }

    [Fact]
    public async Task PrepareAsync_RangeShorterThanTheWarmUp_ErrorNamesTheWarmUp()
    {
        var minutes = GeneratedMarket.Minutes(Start, 10 * 1440);
        var runner = new BacktestRunner(new InMemoryBacktestData(minutes));

        var error = await Assert.ThrowsAsync<BacktestInputException>(() => runner.PrepareAsync(Request(Start, Start.AddDays(10))));

        Assert.Contains("14-day warm-up", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_RangeWithoutData_ErrorSaysSoAndHowToImport()
    {
        var minutes = GeneratedMarket.Minutes(Start, 1440);
        var runner = new BacktestRunner(new InMemoryBacktestData(minutes));

        var error = await Assert.ThrowsAsync<BacktestInputException>(() => runner.PrepareAsync(Request(Start.AddDays(30), Start.AddDays(60))));

        Assert.Contains("No stored KRW-BTC minutes", error.Message, StringComparison.Ordinal);
        Assert.Contains("bat import", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyOverrides_SettingOutOfRange_ErrorNamesTheSettingAndItsRange()
    {
        var overrides = new Dictionary<string, JsonElement> { ["stop_loss_pct"] = BacktestRunner.ParseSettingValue("40") };

        var error = Assert.Throws<BacktestInputException>(() => BacktestRunner.ApplyOverrides(new RiskSettings(), overrides));

        Assert.Contains("stop_loss_pct must be between 1 and 20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyOverrides_ValidSettings_OverrideTheStoredOnes()
    {
        var overrides = new Dictionary<string, JsonElement>
        {
            ["stop_loss_pct"] = BacktestRunner.ParseSettingValue("3.5"),
            ["trading_enabled"] = BacktestRunner.ParseSettingValue("false"),
        };

        var settings = BacktestRunner.ApplyOverrides(new RiskSettings { TakeProfitPct = 9 }, overrides);

        Assert.Equal((3.5m, false, 9m), (settings.StopLossPct, settings.TradingEnabled, settings.TakeProfitPct));
    }

    [Fact]
    public async Task PrepareAsync_GapsInTheData_AreReportedWithCountAndLengthNotFilled()
    {
        var minutes = GeneratedMarket.Minutes(Start, 16 * 1440)
            .Where(m => !(m.Ts >= Start.AddDays(15) && m.Ts < Start.AddDays(15).AddMinutes(90)))
            .Where(m => m.Ts != Start.AddDays(15).AddHours(5))
            .ToList();
        var runner = new BacktestRunner(new InMemoryBacktestData(minutes));

        var prepared = await runner.PrepareAsync(Request(Start.AddDays(14), Start.AddDays(16)));
        var report = BacktestReport.Of(BacktestRunner.Run(prepared, Trading), prepared.Gaps);

        Assert.Equal((2, 91, 90), (report.Gaps.Count, report.Gaps.MissingMinutes, report.Gaps.LongestMinutes));
        Assert.Equal(2 * 1440 - 91, report.Minutes);
        // The three signal times inside the 90-minute hole (00:00, 00:30, 01:00) and the missing 05:00 minute have no
        // minute to decide or fill on: they are not traded.
        Assert.Equal(2 * 48 - 4, prepared.Signals.Count);
    }

    [Fact]
    public void CandleBuilder_Latest_IsUpbitsGroupingOfTheVisibleMinutesOnly()
    {
        var minutes = GeneratedMarket.Minutes(Start.AddMinutes(-3 * 1440 - 7), 9 * 1440);
        var series = new MinuteSeries(Market, minutes);
        var visible = series.IndexAtOrAfter(Start.AddDays(2).AddHours(3).AddMinutes(41));
        foreach (var interval in new[] { CandleInterval.Hour1, CandleInterval.Hour4, CandleInterval.Day, CandleInterval.Week })
        {
            var builder = new CandleBuilder(series, interval);
            builder.Advance(visible / 2);
            builder.Advance(visible);
            var size = TimeSpan.FromMinutes((int)interval).Ticks;
            var expected = minutes.Take(visible)
                .GroupBy(m => m.Ts.UtcTicks - (m.Ts.UtcTicks % size))
                .Select(g => new Candle(Market, new DateTimeOffset(g.Key, TimeSpan.Zero), g.First().Open, g.Max(m => m.High), g.Min(m => m.Low),
                    g.Last().Close, g.Sum(m => m.Volume), g.Sum(m => m.ValueKrw)))
                .TakeLast(200)
                .ToList();

            Assert.Equal(expected, builder.Latest(200));
        }
        // Weeks start on Monday, as Upbit's do: 2026-03-02 is a Monday.
        var weekly = new CandleBuilder(series, CandleInterval.Week);
        weekly.Advance(visible);
        Assert.Equal(DayOfWeek.Monday, weekly.Latest(200)[^1].Start.DayOfWeek);
        Assert.Equal(Start, weekly.Latest(200)[^1].Start);
    }

    [Theory]
    [InlineData(BacktestFill.NextOpen, 101_000_000, 103_000_000)]
    [InlineData(BacktestFill.Ticker, 100_000_000, 102_000_000)]
    public void Run_FillAt_BuysAndSellsAtTheNextOpenOrAtTheTickerAsThePaperExchange(BacktestFill fillAt, int buyPrice, int sellPrice)
    {
        // Each minute opens 1,000,000 above the close before it, so the two models differ by exactly that.
        var minutes = Flat(40, 100_000_000m);
        minutes[10] = minutes[10] with { Open = 101_000_000m, High = 101_000_000m };
        for (var i = 11; i < 20; i++)
        {
            minutes[i] = minutes[i] with { Open = 101_000_000m, High = 101_000_000m, Low = 101_000_000m, Close = 102_000_000m };
        }
        for (var i = 20; i < minutes.Count; i++)
        {
            minutes[i] = minutes[i] with { Open = 103_000_000m, High = 103_000_000m, Low = 103_000_000m, Close = 103_000_000m };
        }
        var series = new MinuteSeries(Market, minutes);
        var signals = new List<ReplayedSignal>
        {
            Buy(series, 10, 1m, id: 1),
            new(series.At(20), 20) { Recorded = ReplayedSignal.FromStored(SignalAction.Sell, -0.6m, 1m), SignalId = 2 },
        };
        var settings = Trading with { PositionSizeMinPct = 10, PositionSizeMaxPct = 10, TakeProfitPct = 50m, TrailingStopActivationPct = 50m };

        var run = BacktestEngine.Run(series, signals, settings, new BacktestOptions { SlippageBps = 0, FillAt = fillAt }, Start, Start.AddMinutes(40));

        Assert.Equal([(decimal)buyPrice, sellPrice], run.Orders.Select(o => o.Price));
    }

    private static async Task<PreparedBacktest> PrepareAsync(IReadOnlyList<MarketMinute> minutes, DateTimeOffset from, DateTimeOffset to) =>
        await new BacktestRunner(new InMemoryBacktestData(minutes)).PrepareAsync(Request(from, to));

    private static BacktestRequest Request(DateTimeOffset from, DateTimeOffset to) =>
        new() { Market = Market, From = from, To = to, Options = new BacktestOptions() };

    private static ReplayedSignal Buy(MinuteSeries series, int minute, decimal confidence, long id = 1) =>
        new(series.At(minute), minute) { Recorded = ReplayedSignal.FromStored(SignalAction.Buy, 0.6m, confidence), SignalId = id };

    private static List<MarketMinute> Flat(int count, decimal price) => GeneratedMarket.Flat(Start, count, price);
}
