using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Infrastructure.Backtesting;
using BitcoinAutoTrading.Infrastructure.Persistence;

namespace BitcoinAutoTrading.Cli.Commands;

/// <summary><c>bat sweep</c>: a grid of settings over one market analysis, ranked, with an optional held-out tail.</summary>
internal static class SweepCommand
{
    public static Command Create(CommonOptions common, CliContext context)
    {
        var range = new RangeOptions();
        var binder = new BacktestOptionsBinder();
        var sets = new Option<string[]>("--set") { Description = "A setting and its values, e.g. --set stop_loss_pct=3,5,7 (repeatable).", Required = true };
        var rankBy = new Option<string>("--rank-by") { Description = $"Metric to rank by: {string.Join(", ", SweepGrid.RankKeys)}.", DefaultValueFactory = _ => "sharpe" };
        var holdout = new Option<string?>("--holdout") { Description = "Hold out the last share of the range, e.g. 30%: ranking uses the earlier part, the table shows both." };
        var command = new Command("sweep", "Backtest every combination of settings and rank them (all cores).");
        common.AddTo(command);
        range.AddTo(command);
        binder.AddTo(command);
        command.Add(sets);
        command.Add(rankBy);
        command.Add(holdout);
        command.SetAction(async (parse, ct) => await context.RunAsync(async () =>
        {
            var watch = Stopwatch.StartNew();
            var configuration = common.Configuration(parse, context);
            var (from, to) = range.Range(parse);
            var market = range.MarketOf(parse, configuration);
            var grid = ParseGrid(parse.GetValue(sets) ?? []);
            var rank = parse.GetValue(rankBy)!;
            _ = SweepGrid.RankKeys.Contains(rank) ? 0 : throw new CliException($"--rank-by: '{rank}' is not one of {string.Join(", ", SweepGrid.RankKeys)}.", 2);
            var holdoutShare = ParseShare(parse.GetValue(holdout));
            var request = binder.Request(parse, configuration, market, from, to, new Dictionary<string, JsonElement>());
            await using var dataSource = await CliDatabase.OpenAsync(configuration, ct).ConfigureAwait(false);
            var stored = RiskSettingsJson.FromEntries(await new SystemConfigRepository(dataSource, TimeProvider.System).GetAllAsync(ct).ConfigureAwait(false)).Settings;
            var combinations = SweepGrid.Combinations(grid);
            foreach (var combination in combinations)
            {
                BacktestRunner.ApplyOverrides(stored, combination);
            }
            var prepared = await new BacktestRunner(new BacktestDataReader(dataSource)).PrepareAsync(request, ct).ConfigureAwait(false);
            var results = SweepGrid.Run(prepared, stored, combinations, holdoutShare)
                .OrderByDescending(r => SweepGrid.RankValue(r.Ranked, rank)).ToList();

            var keys = grid.Keys.ToList();
            var header = string.Join("  ", keys.Select(k => k.PadLeft(Math.Max(k.Length, 6))));
            await context.Out.WriteLineAsync($"rank  {header}   return %  maxDD %   sharpe  trades{(holdoutShare > 0 ? "  | held-out return %  maxDD %  sharpe" : "")}").ConfigureAwait(false);
            for (var i = 0; i < results.Count; i++)
            {
                var r = results[i];
                var values = string.Join("  ", keys.Select(k => r.Values[k].ToString().PadLeft(Math.Max(k.Length, 6))));
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{i + 1,3}{(r.InForce ? "*" : " ")}  {values}  {r.Ranked.TotalReturnPct,9:0.00}  {r.Ranked.MaxDrawdownPct,7:0.00}  {r.Ranked.Sharpe,7:0.00}  {r.Ranked.TradeCount,6}");
                if (r.HeldOut is { } h)
                {
                    line += string.Create(CultureInfo.InvariantCulture, $"  | {h.TotalReturnPct,17:0.00}  {h.MaxDrawdownPct,7:0.00}  {h.Sharpe,6:0.00}");
                }
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"* = the settings in force (system_config). {results.Count} combinations ranked by {rank}{(holdoutShare > 0 ? $" on the first {(1 - holdoutShare) * 100:0}% of the range" : "")}; analysis {prepared.AnalysisTime.TotalSeconds:0.00} s, total {watch.Elapsed.TotalSeconds:0.00} s on {Environment.ProcessorCount} cores.")).ConfigureAwait(false);
        }).ConfigureAwait(false));
        return command;
    }

    private static Dictionary<string, IReadOnlyList<JsonElement>> ParseGrid(IEnumerable<string> sets)
    {
        var grid = new Dictionary<string, IReadOnlyList<JsonElement>>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            var eq = set.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == set.Length - 1)
            {
                throw new CliException($"--set: '{set}' is not key=v1,v2,... (e.g. --set stop_loss_pct=3,5,7).", 2);
            }
            var key = set[..eq].Trim();
            if (!grid.TryAdd(key, set[(eq + 1)..].Split(',').Select(BacktestRunner.ParseSettingValue).ToList()))
            {
                throw new CliException($"--set: {key} is given more than once (list its values once: --set {key}=v1,v2,...).", 2);
            }
        }
        return grid;
    }

    private static double ParseShare(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return 0;
        }
        var text = value.Trim().TrimEnd('%');
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new CliException($"--holdout: '{value}' is not a share such as 30%.", 2);
        }
        var share = value.Contains('%', StringComparison.Ordinal) || number > 1 ? number / 100 : number;
        return share is > 0 and < 0.9 ? share : throw new CliException("--holdout must be between 0% and 90%.", 2);
    }
}
