using System.Globalization;
using BitcoinAutoTrading.Core.Backtesting;

namespace BitcoinAutoTrading.Cli.Output;

/// <summary>The report as plain aligned text: readable in a terminal and in a CI log alike.</summary>
internal static class ReportTable
{
    public static async Task WriteAsync(TextWriter output, BacktestReport r, PreparedBacktest prepared)
    {
        var rows = new List<(string, string)>
        {
            ("market", r.Market),
            ("range", F($"{r.From:yyyy-MM-dd HH:mm} .. {r.To:yyyy-MM-dd HH:mm} UTC (trading from {prepared.TradeFrom:yyyy-MM-dd HH:mm}, {r.Minutes} minutes)")),
            ("provider", prepared.Request.Provider.ToString().ToLowerInvariant()),
            ("equity", F($"{r.InitialEquityKrw:N0} -> {r.FinalEquityKrw:N0} KRW")),
            ("total return", F($"{r.TotalReturnPct:0.00} %")),
            ("buy and hold", F($"{r.BuyAndHoldReturnPct:0.00} %")),
            ("CAGR", r.CagrPct is { } cagr ? F($"{cagr:0.00} %") : "n/a (beyond range over so short a run)"),
            ("max drawdown", F($"{r.MaxDrawdownPct:0.00} % (longest under water {r.MaxDrawdownDays:0.0} days)")),
            ("Sharpe / Sortino", F($"{r.Sharpe:0.00} / {(r.Sortino is { } sortino ? sortino.ToString("0.00", CultureInfo.InvariantCulture) : "n/a (no losing day)")} (daily, annualised)")),
            ("trades", F($"{r.TradeCount} closed, {r.OrderCount} orders")),
            ("win rate", r.WinRatePct is { } winRate ? F($"{winRate:0.0} %") : "n/a (no closed trade)"),
            ("profit factor", r.ProfitFactor is { } pf ? F($"{pf:0.00}") : "n/a (no losing trade)"),
            ("average win / loss", F($"{r.AverageWinKrw:N0} / {r.AverageLossKrw:N0} KRW")),
            ("exposure", F($"{r.ExposurePct:0.0} %")),
            ("fees paid", F($"{r.FeesPaidKrw:N0} KRW")),
            ("signals", string.Join(", ", r.SignalsByType.Select(s => F($"{s.Key} {s.Value}")))),
            ("signal outcomes", string.Join(", ", r.SignalNotes.Select(s => F($"{s.Key}: {s.Value}")))),
            ("risk events", r.RiskEventsByType.Count == 0 ? "none" : string.Join(", ", r.RiskEventsByType.Select(s => F($"{s.Key} {s.Value}")))),
            ("refusals by rule", r.RefusalsByRule.Count == 0 ? "none" : string.Join(", ", r.RefusalsByRule.Select(s => F($"{s.Key}: {s.Value}")))),
            ("data gaps", r.Gaps.Count == 0 ? "none" : F($"{r.Gaps.Count} gaps, {r.Gaps.MissingMinutes} minutes missing, longest {r.Gaps.LongestMinutes} min (not filled)")),
        };
        var width = rows.Max(x => x.Item1.Length);
        foreach (var (name, value) in rows)
        {
            await output.WriteLineAsync($"{name.PadRight(width)}  {value}").ConfigureAwait(false);
        }
        foreach (var gap in r.Gaps.Largest.Take(5))
        {
            await output.WriteLineAsync(F($"{"",-12}gap after {gap.After:yyyy-MM-dd HH:mm}: {gap.MissingMinutes} minutes")).ConfigureAwait(false);
        }
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("month     start equity    end equity   return %   buy&hold %  trades   fees KRW").ConfigureAwait(false);
        foreach (var m in r.Months)
        {
            await output.WriteLineAsync(F($"{m.Month}  {m.StartEquityKrw,12:N0}  {m.EndEquityKrw,12:N0}  {m.ReturnPct,9:0.00}  {m.BuyAndHoldPct,11:0.00}  {m.Trades,6}  {m.FeesKrw,9:N0}")).ConfigureAwait(false);
        }
    }

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
