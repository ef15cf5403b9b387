using System.Globalization;
using System.Net;
using System.Text;
using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Cli.Output;

/// <summary>
/// A single self-contained HTML file (inline SVG and CSS, no script, no CDN) a person opens offline: the metrics, the
/// equity curve against buy-and-hold, the drawdown, the price with the trades marked, and the months.
/// </summary>
internal static class ReportHtml
{
    private const int Width = 960;
    private const int Height = 220;
    private const int Points = 800;

    public static string Render(BacktestReport r, BacktestRun run)
    {
        var step = Math.Max(1, run.Equity.Length / Points);
        var idx = Enumerable.Range(0, (run.Equity.Length + step - 1) / step).Select(i => i * step).Append(run.Equity.Length - 1).Distinct().ToList();
        var initial = (double)run.Options.InitialKrw;
        var firstPrice = (double)run.FirstOpen;
        var equity = idx.Select(i => run.Equity[i]).ToList();
        var hold = idx.Select(i => initial * run.Price[i] / firstPrice).ToList();
        var peak = double.MinValue;
        var drawdown = new List<double>();
        for (var i = 0; i < run.Equity.Length; i++)
        {
            peak = Math.Max(peak, run.Equity[i]);
            if (i % step == 0 || i == run.Equity.Length - 1)
            {
                drawdown.Add(-(peak - run.Equity[i]) / peak * 100);
            }
        }
        var prices = idx.Select(i => run.Price[i]).ToList();
        var t0 = run.EquityTicks[0];
        var span = Math.Max(1, run.EquityTicks[^1] - t0);

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
            <title>Backtest {{E(r.Market)}} {{r.From:yyyy-MM-dd}} – {{r.To:yyyy-MM-dd}}</title>
            <style>
            body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
            table{border-collapse:collapse;margin:8px 0 20px} td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}
            td:first-child,th:first-child{text-align:left} h2{margin-top:28px;font-size:16px}
            svg{background:#fafafa;border:1px solid #ddd} .legend span{margin-right:16px}
            </style></head><body>
            <h1>Backtest {{E(r.Market)}}</h1>
            <p>{{r.From:yyyy-MM-dd HH:mm}} – {{r.To:yyyy-MM-dd HH:mm}} UTC · {{r.Minutes:N0}} minutes · fee {{run.Options.FeeRate * 100:0.###}} % · slippage {{run.Options.SlippageBps:0.##}} bps</p>
            <table>
            """);
        void Row(string name, string value) => html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{E(value)}</td></tr>\n");
        Row("Total return", F($"{r.TotalReturnPct:0.00} %"));
        Row("Buy and hold", F($"{r.BuyAndHoldReturnPct:0.00} %"));
        Row("CAGR", r.CagrPct is { } cagr ? F($"{cagr:0.00} %") : "n/a (beyond range over so short a run)");
        Row("Max drawdown", F($"{r.MaxDrawdownPct:0.00} % (longest under water {r.MaxDrawdownDays:0.0} days)"));
        Row("Sharpe / Sortino", F($"{r.Sharpe:0.00} / {(r.Sortino is { } sortino ? sortino.ToString("0.00", CultureInfo.InvariantCulture) : "n/a (no losing day)")}"));
        Row("Trades (closed) / orders", F($"{r.TradeCount} / {r.OrderCount}"));
        Row("Win rate", F($"{r.WinRatePct:0.0} %"));
        Row("Profit factor", r.ProfitFactor is { } pf ? F($"{pf:0.00}") : "n/a");
        Row("Average win / loss", F($"{r.AverageWinKrw:N0} / {r.AverageLossKrw:N0} KRW"));
        Row("Exposure", F($"{r.ExposurePct:0.0} %"));
        Row("Fees paid", F($"{r.FeesPaidKrw:N0} KRW"));
        Row("Signals", string.Join(", ", r.SignalsByType.Select(s => F($"{s.Key} {s.Value}"))));
        Row("Data gaps", r.Gaps.Count == 0 ? "none" : F($"{r.Gaps.Count} ({r.Gaps.MissingMinutes} minutes, longest {r.Gaps.LongestMinutes})"));
        html.Append("</table>\n");

        html.Append("<h2>Equity vs buy and hold (KRW)</h2><p class=\"legend\"><span style=\"color:#1565c0\">■ strategy</span><span style=\"color:#999\">■ buy and hold</span></p>\n");
        html.Append(Chart([(equity, "#1565c0"), (hold, "#999")], null));
        html.Append("<h2>Drawdown (%)</h2>\n");
        html.Append(Chart([(drawdown, "#c62828")], null));
        html.Append("<h2>Price with trades</h2><p class=\"legend\"><span style=\"color:#2e7d32\">▲ buy</span><span style=\"color:#c62828\">▼ sell</span></p>\n");
        var marks = run.Orders.Select(o => ((double)(o.At.UtcTicks - t0) / span, (double)o.Price, o.Side == OrderSide.Buy)).ToList();
        html.Append(Chart([(prices, "#444")], marks));

        html.Append("<h2>Months</h2><table><tr><th>month</th><th>start equity</th><th>end equity</th><th>return %</th><th>buy &amp; hold %</th><th>trades</th><th>fees</th></tr>\n");
        foreach (var m in r.Months)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{m.Month}</td><td>{m.StartEquityKrw:N0}</td><td>{m.EndEquityKrw:N0}</td><td>{m.ReturnPct:0.00}</td><td>{m.BuyAndHoldPct:0.00}</td><td>{m.Trades}</td><td>{m.FeesKrw:N0}</td></tr>\n");
        }
        html.Append("</table></body></html>\n");
        return html.ToString();
    }

    private static string Chart(IReadOnlyList<(List<double> Values, string Color)> series, List<(double X, double Price, bool Buy)>? marks)
    {
        var all = series.SelectMany(s => s.Values).Concat(marks?.Select(m => m.Price) ?? []).Where(double.IsFinite).ToList();
        var min = all.Count == 0 ? 0 : all.Min();
        var max = all.Count == 0 ? 1 : all.Max();
        if (max - min < 1e-9)
        {
            max = min + 1;
        }
        double Y(double v) => 10 + (Height - 20) * (1 - (v - min) / (max - min));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"14\" font-size=\"11\" fill=\"#666\">{max:N0}</text><text x=\"4\" y=\"{Height - 4}\" font-size=\"11\" fill=\"#666\">{min:N0}</text>");
        foreach (var (values, color) in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"");
            for (var i = 0; i < values.Count; i++)
            {
                var x = values.Count == 1 ? 0 : i * (double)Width / (values.Count - 1);
                svg.Append(CultureInfo.InvariantCulture, $"{x:0.#},{Y(values[i]):0.#} ");
            }
            svg.Append("\"/>");
        }
        foreach (var (xShare, price, buy) in marks ?? [])
        {
            var x = xShare * Width;
            var y = Y(price);
            if (buy)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M{x:0.#},{y - 7:0.#} l-5,9 h10 z\" fill=\"#2e7d32\"/>");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M{x:0.#},{y + 7:0.#} l-5,-9 h10 z\" fill=\"#c62828\"/>");
            }
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
