using System.Text.Json;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>One combination of a sweep and its results (in-sample, and held out when asked).</summary>
public sealed record SweepResult(
    IReadOnlyDictionary<string, JsonElement> Values, RiskSettings Settings, bool InForce, BacktestReport Ranked, BacktestReport? HeldOut);

/// <summary>
/// <c>bat sweep</c>'s grid: every combination of the listed values, each validated as PATCH /api/config would, replayed
/// over the one prepared market analysis (it does not depend on risk settings) in parallel on all cores.
/// </summary>
public static class SweepGrid
{
    public static IReadOnlyList<Dictionary<string, JsonElement>> Combinations(IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        IEnumerable<Dictionary<string, JsonElement>> combos = [new Dictionary<string, JsonElement>(StringComparer.Ordinal)];
        foreach (var (key, values) in grid)
        {
            combos = combos.SelectMany(c => values.Select(v => new Dictionary<string, JsonElement>(c, StringComparer.Ordinal) { [key] = v })).ToList();
        }
        return combos.ToList();
    }

    public static IReadOnlyList<SweepResult> Run(
        PreparedBacktest prepared, RiskSettings stored, IReadOnlyList<Dictionary<string, JsonElement>> combinations, double holdoutShare,
        int? maxParallelism = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(combinations);
        var settings = combinations.Select(c => BacktestRunner.ApplyOverrides(stored, c)).ToList();
        var from = prepared.TradeFrom;
        var to = prepared.Request.To;
        var split = holdoutShare > 0 ? from + (to - from) * (1 - holdoutShare) : to;
        var splitMinute = UtcTime.FloorToMinute(split);
        if (holdoutShare > 0)
        {
            RequireMinutes(prepared.Series, from, splitMinute, "the ranked part");
            RequireMinutes(prepared.Series, splitMinute, to, "the held-out part");
        }
        var results = new SweepResult[combinations.Count];
        Parallel.For(0, combinations.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism ?? Environment.ProcessorCount }, i =>
        {
            var ranked = Report(prepared, settings[i], from, splitMinute);
            var heldOut = holdoutShare > 0 ? Report(prepared, settings[i], splitMinute, to) : null;
            results[i] = new SweepResult(combinations[i], settings[i], settings[i] == stored, ranked, heldOut);
        });
        return results;
    }

    /// <summary>Higher is better for every key; drawdown is ranked by its smallness.</summary>
    public static decimal RankValue(BacktestReport report, string rankBy)
    {
        ArgumentNullException.ThrowIfNull(report);
        return rankBy switch
        {
            "sharpe" => report.Sharpe,
            // Absent when the run gained without a losing day: better than any finite ratio.
            "sortino" => report.Sortino ?? decimal.MaxValue,
            "return" => report.TotalReturnPct,
            // Absent only when too large to represent: a loss compounds towards −100 %, never out of range.
            "cagr" => report.CagrPct ?? decimal.MaxValue,
            "drawdown" => -report.MaxDrawdownPct,
            // A combination that never traded ranks last, below any real win rate.
            "win_rate" => report.WinRatePct ?? decimal.MinValue,
            // No loss: an unbounded factor, but only for a combination that traded; one that never traded ranks last.
            "profit_factor" => report.ProfitFactor ?? (report.TradeCount > 0 ? decimal.MaxValue : decimal.MinValue),
            _ => throw new BacktestInputException($"--rank-by: '{rankBy}' is not one of {string.Join(", ", RankKeys)}."),
        };
    }

    public static IReadOnlyList<string> RankKeys { get; } = ["sharpe", "sortino", "return", "cagr", "drawdown", "win_rate", "profit_factor"];

    /// <summary>Each part must hold a stored minute to replay, or the sweep fails with a message instead of an exception per combination.</summary>
    private static void RequireMinutes(MinuteSeries series, DateTimeOffset from, DateTimeOffset to, string part)
    {
        if (series.IndexAtOrAfter(to) <= series.IndexAtOrAfter(from))
        {
            throw new BacktestInputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"--holdout: {part} ({from:o} to {to:o}) has no stored minutes (the last stored is {series.At(series.Count - 1):o}): import up to --to, move --to back or change --holdout."));
        }
    }

    private static BacktestReport Report(PreparedBacktest prepared, RiskSettings settings, DateTimeOffset from, DateTimeOffset to)
    {
        var run = BacktestEngine.Run(prepared.Series, prepared.Signals, settings, prepared.Request.Options, from, to);
        var series = prepared.Series;
        return BacktestReport.Of(run, series.Gaps(series.IndexAtOrAfter(from), series.IndexAtOrAfter(to)));
    }
}
