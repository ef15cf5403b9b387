using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using BitcoinAutoTrading.Cli.Output;
using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Infrastructure.Backtesting;
using BitcoinAutoTrading.Infrastructure.Persistence;

namespace BitcoinAutoTrading.Cli.Commands;

/// <summary><c>bat backtest</c>: one run, printed as a table, written as JSON and HTML, stored in backtest_runs.</summary>
internal static class BacktestCommand
{
    public static Command Create(CommonOptions common, CliContext context)
    {
        var range = new RangeOptions();
        var binder = new BacktestOptionsBinder();
        var sets = new Option<string[]>("--set") { Description = "Override a system_config setting, e.g. --set stop_loss_pct=4 (repeatable; validated like PATCH /api/config)." };
        var output = new Option<string>("--out") { Description = "Folder for the JSON and HTML report.", DefaultValueFactory = _ => "backtests" };
        var noStore = new Option<bool>("--no-store") { Description = "Do not store the run in backtest_runs." };
        var command = new Command("backtest", "Replay stored minutes through the live strategy and risk code and report the result.");
        common.AddTo(command);
        range.AddTo(command);
        binder.AddTo(command);
        command.Add(sets);
        command.Add(output);
        command.Add(noStore);
        command.SetAction(async (parse, ct) => await context.RunAsync(async () =>
        {
            var total = Stopwatch.StartNew();
            var configuration = common.Configuration(parse, context);
            var (from, to) = range.Range(parse);
            var market = range.MarketOf(parse, configuration);
            var overrides = BacktestOptionsBinder.ParseSets(parse.GetValue(sets) ?? []);
            var request = binder.Request(parse, configuration, market, from, to, overrides);
            await using var dataSource = await CliDatabase.OpenAsync(configuration, ct).ConfigureAwait(false);
            var stored = RiskSettingsJson.FromEntries(await new SystemConfigRepository(dataSource, TimeProvider.System).GetAllAsync(ct).ConfigureAwait(false)).Settings;
            var settings = BacktestRunner.ApplyOverrides(stored, overrides);

            var prepared = await new BacktestRunner(new BacktestDataReader(dataSource)).PrepareAsync(request, ct).ConfigureAwait(false);
            if (CandleDepthNote(prepared) is { } note)
            {
                await context.Error.WriteLineAsync(note).ConfigureAwait(false);
            }
            var replay = Stopwatch.StartNew();
            var run = BacktestRunner.Run(prepared, settings);
            var report = BacktestReport.Of(run, prepared.Gaps);
            replay.Stop();

            await ReportTable.WriteAsync(context.Out, report, prepared).ConfigureAwait(false);
            Directory.CreateDirectory(parse.GetValue(output)!);
            var stem = Path.Combine(parse.GetValue(output)!, string.Create(CultureInfo.InvariantCulture, $"backtest-{market}-{from:yyyyMMdd}-{to:yyyyMMdd}"));
            var json = ReportJson.Serialize(report, run);
            await File.WriteAllTextAsync(stem + ".json", json, ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(stem + ".html", ReportHtml.Render(report, run), ct).ConfigureAwait(false);
            long? id = null;
            if (!parse.GetValue(noStore))
            {
                id = await new BacktestRunRepository(dataSource, TimeProvider.System).InsertAsync(ReportJson.ToRecord(report, run, request.Provider, json), ct).ConfigureAwait(false);
            }
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {stem}.json and {stem}.html{(id is null ? "" : $"; stored as backtest run {id}")}. Load {prepared.LoadTime.TotalSeconds:0.00} s, analysis {prepared.AnalysisTime.TotalSeconds:0.00} s, replay {replay.Elapsed.TotalSeconds:0.00} s, total {total.Elapsed.TotalSeconds:0.00} s.")).ConfigureAwait(false);
        }).ConfigureAwait(false));
        return command;
    }

    /// <summary>
    /// Live trading analyses 200 candles of each timeframe from Upbit; the replay has as many as the stored minutes and
    /// hourly bars before --from allow. Said when the first decision had fewer, since its scores then differ from live.
    /// </summary>
    internal static string? CandleDepthNote(PreparedBacktest prepared)
    {
        var first = prepared.Signals.FirstOrDefault(s => s.At >= prepared.TradeFrom && s.Analysis is not null);
        var shallow = first?.Analysis!.Timeframes.Where(t => t.CandleCount < MultiTimeframeAnalyzer.CandleCount).ToList();
        if (first is null || shallow is not { Count: > 0 })
        {
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"note: at the first decision ({first.At:yyyy-MM-dd HH:mm} UTC) {string.Join(", ", shallow.Select(t => $"{TimeframeAnalysis.Label(t.Timeframe)} had {t.CandleCount}"))} of the {MultiTimeframeAnalyzer.CandleCount} candles live trading gets from Upbit, so its scores can differ from live; the past before --from comes from the stored minutes and hourly bars (bat import earlier minutes for more).");
    }
}
