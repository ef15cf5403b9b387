using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BitcoinAutoTrading.Cli.Output;
using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Infrastructure.Backtesting;
using BitcoinAutoTrading.IntegrationTests.Backtesting;
using BitcoinAutoTrading.UnitTests.Backtesting;
using Npgsql;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>
/// Issue 13's speed rows: one year of minutes through <c>bat backtest</c>'s path (load from PostgreSQL, market analysis
/// every 30 minutes, replay, report) and a 3×3 sweep over six months against one six-month run.
/// </summary>
internal sealed class BacktestMeasurements(NpgsqlDataSource dataSource)
{
    private static readonly DateTimeOffset YearStart = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);
    private const int YearMinutes = 525_600;

    public async Task SeedAsync()
    {
        var minutes = GeneratedMarket.Minutes(YearStart - TechnicalSignalReplay.WarmUp, YearMinutes + (int)TechnicalSignalReplay.WarmUp.TotalMinutes, seed: 2026);
        // The tests' loader (linked): binary COPY, then the rollups an import would build.
        await BacktestTestData.InsertMinutesAsync(dataSource, minutes);
    }

    public async Task<BenchResult> B1YearAsync()
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var prepared = await Runner().PrepareAsync(Request(YearStart, YearStart.AddMinutes(YearMinutes)));
        var replay = Stopwatch.StartNew();
        var run = BacktestRunner.Run(prepared, Settings);
        var report = BacktestReport.Of(run, prepared.Gaps);
        replay.Stop();
        watch.Stop();
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1024d / 1024d;
        var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - before) / 1024d / 1024d;
        var perSecond = report.Minutes / watch.Elapsed.TotalSeconds;
        return new BenchResult(
            "B1",
            "bat backtest, one year of minutes (525,600; signal every 30 min, technical), incl. loading from PostgreSQL",
            string.Create(CultureInfo.InvariantCulture,
                $"{watch.Elapsed.TotalSeconds:0.00} s ({perSecond:N0} minutes/s): load {prepared.LoadTime.TotalSeconds:0.00} s, analysis of {prepared.Signals.Count:N0} signals {prepared.AnalysisTime.TotalSeconds:0.00} s, replay + report {replay.Elapsed.TotalSeconds:0.00} s; peak working set {peakMb:0} MB, {allocatedMb:N0} MB allocated; {report.OrderCount} orders"),
            string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds / 10:0.00} of budget"),
            "< 10 s, < 500 MB",
            watch.Elapsed < TimeSpan.FromSeconds(10) && peakMb < 500)
        {
            WhyNot = "the time is on a 2-core machine shared with other work; see where it goes in the measured column.",
        };
    }

    public async Task<BenchResult> B2SweepAsync(string? sampleFolder)
    {
        var from = YearStart;
        var to = YearStart.AddDays(182);
        var single = Stopwatch.StartNew();
        var prepared = await Runner().PrepareAsync(Request(from, to));
        var run = BacktestRunner.Run(prepared, Settings);
        var report = BacktestReport.Of(run, prepared.Gaps);
        single.Stop();

        var sweep = Stopwatch.StartNew();
        var sweepPrepared = await Runner().PrepareAsync(Request(from, to));
        var grid = new Dictionary<string, IReadOnlyList<JsonElement>>
        {
            ["stop_loss_pct"] = [Value("3"), Value("5"), Value("7")],
            ["take_profit_pct"] = [Value("6"), Value("8"), Value("10")],
        };
        var results = SweepGrid.Run(sweepPrepared, Settings, SweepGrid.Combinations(grid), 0);
        sweep.Stop();
        if (sampleFolder is not null)
        {
            Directory.CreateDirectory(sampleFolder);
            await File.WriteAllTextAsync(Path.Combine(sampleFolder, "backtest-sample.json"), ReportJson.Serialize(report, run));
            await File.WriteAllTextAsync(Path.Combine(sampleFolder, "backtest-sample.html"), ReportHtml.Render(report, run));
        }
        var ratio = sweep.Elapsed.TotalSeconds / single.Elapsed.TotalSeconds;
        return new BenchResult(
            "B2",
            "bat sweep 3×3 (stop_loss_pct × take_profit_pct) over six months vs one six-month bat backtest",
            string.Create(CultureInfo.InvariantCulture,
                $"sweep {sweep.Elapsed.TotalSeconds:0.00} s ({results.Count} runs, analysis once {sweepPrepared.AnalysisTime.TotalSeconds:0.00} s) vs one run {single.Elapsed.TotalSeconds:0.00} s"),
            string.Create(CultureInfo.InvariantCulture, $"{ratio:0.00}×"),
            "< 2×",
            ratio < 2);
    }

    private static readonly RiskSettings Settings = new() { MinConfidence = 0.5m };

    private BacktestRunner Runner() => new(new BacktestDataReader(dataSource));

    private static BacktestRequest Request(DateTimeOffset from, DateTimeOffset to) =>
        new() { Market = GeneratedMarket.Market, From = from, To = to };

    private static JsonElement Value(string text) => BacktestRunner.ParseSettingValue(text);
}
