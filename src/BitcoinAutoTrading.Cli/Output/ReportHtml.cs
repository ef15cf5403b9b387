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
    // Room inside the picture: the triangles at the first and last minute stay whole, the month labels sit under the lines.
    private const double PadX = 6;
    private const double Top = 10;
    private const double Bottom = Height - 24;

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
                // + 0.0 turns the -0 of "no drawdown" into 0, which would otherwise print as "-0".
                drawdown.Add(-(peak - run.Equity[i]) / peak * 100 + 0.0);
            }
        }
        var prices = idx.Select(i => run.Price[i]).ToList();
        var t0 = run.EquityTicks[0];
        var span = Math.Max(1, run.EquityTicks[^1] - t0);
        // Each point at its minute's time, not its index, so a gap in the data leaves a gap and the trades stay on the line.
        var xs = idx.Select(i => (double)(run.EquityTicks[i] - t0) / span).ToList();
        var months = MonthTicks(t0, run.EquityTicks[^1], span);

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <link rel="icon" href="data:,">
            <title>Backtest {{E(r.Market)}} {{r.From:yyyy-MM-dd}} – {{r.To:yyyy-MM-dd}}</title>
            <style>
            body{font:14px system-ui,sans-serif;margin:24px auto;padding:0 16px;color:#222;max-width:1000px}
            table{border-collapse:collapse;margin:8px 0 20px} td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}
            td:first-child,th:first-child{text-align:left} h2{margin-top:28px;font-size:16px}
            svg{display:block;width:100%;max-width:960px;min-width:720px;height:auto;background:#fafafa;border:1px solid #ddd;box-sizing:border-box}
            .legend span{margin-right:16px} .wide{overflow-x:auto;max-width:960px}
            @media (max-width:600px){body{margin:12px auto;padding:0 8px;font-size:13px} td,th{padding:3px 5px} h1{font-size:22px} }
            </style></head><body>
            <h1>Backtest {{E(r.Market)}}</h1>
            <p>{{r.From:yyyy-MM-dd HH:mm}} – {{r.To:yyyy-MM-dd HH:mm}} UTC · {{r.Minutes:N0}} minutes · fee {{run.Options.FeeRate * 100:0.###}} % · slippage {{run.Options.SlippageBps:0.##}} bps</p>
            <table id="metrics">
            """);
        void Row(string name, string value) => html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{E(value)}</td></tr>\n");
        Row("Total return", F($"{r.TotalReturnPct:0.00} %"));
        Row("Buy and hold", F($"{r.BuyAndHoldReturnPct:0.00} %"));
        Row("CAGR", r.CagrPct is { } cagr ? F($"{cagr:0.00} %") : "n/a (beyond range over so short a run)");
        Row("Max drawdown", F($"{r.MaxDrawdownPct:0.00} % (longest under water {r.MaxDrawdownDays:0.0} days)"));
        Row("Sharpe / Sortino", F($"{r.Sharpe:0.00} / {(r.Sortino is { } sortino ? sortino.ToString("0.00", CultureInfo.InvariantCulture) : "n/a (no losing day)")}"));
        Row("Trades (closed) / orders", F($"{r.TradeCount} / {r.OrderCount}"));
        Row("Win rate", r.WinRatePct is { } winRate ? F($"{winRate:0.0} %") : "n/a");
        Row("Profit factor", r.ProfitFactor is { } pf ? F($"{pf:0.00}") : "n/a");
        Row("Average win / loss", F($"{r.AverageWinKrw:N0} / {r.AverageLossKrw:N0} KRW"));
        Row("Exposure", F($"{r.ExposurePct:0.0} %"));
        Row("Fees paid", F($"{r.FeesPaidKrw:N0} KRW"));
        Row("Signals", string.Join(", ", r.SignalsByType.Select(s => F($"{s.Key} {s.Value}"))));
        Row("Data gaps", r.Gaps.Count == 0 ? "none" : F($"{r.Gaps.Count} ({r.Gaps.MissingMinutes} minutes, longest {r.Gaps.LongestMinutes})"));
        html.Append("</table>\n");

        html.Append("<h2>Equity vs buy and hold (KRW)</h2><p class=\"legend\"><span style=\"color:#1565c0\">■ strategy equity</span><span style=\"color:#999\">■ buy and hold</span></p>\n");
        html.Append(Chart("equity-chart", xs, [("strategy equity", equity, "#1565c0"), ("buy and hold", hold, "#999")], null, v => F($"{v:N0}"), months));
        html.Append("<h2>Drawdown (%)</h2>\n");
        html.Append(Chart("drawdown-chart", xs, [("drawdown", drawdown, "#c62828")], null, v => F($"{v:0.0} %"), months));
        html.Append("<h2>Price with trades (KRW)</h2><p class=\"legend\"><span style=\"color:#2e7d32\">▲ buy</span><span style=\"color:#c62828\">▼ sell</span></p>\n");
        var marks = run.Orders.Select(o => new Mark((double)(o.At.UtcTicks - t0) / span, (double)o.Price, o.Side == OrderSide.Buy, F($"{o.At:yyyy-MM-dd HH:mm} {(o.Side == OrderSide.Buy ? "buy" : "sell")} at {o.Price:N0}"))).ToList();
        html.Append(Chart("price-chart", xs, [("price", prices, "#444")], marks, v => F($"{v:N0}"), months));

        html.Append("<h2>Months</h2><div class=\"wide\"><table id=\"months\"><thead><tr><th>month</th><th>start equity</th><th>end equity</th><th>return %</th><th>buy &amp; hold %</th><th>trades</th><th>fees</th></tr></thead><tbody>\n");
        foreach (var m in r.Months)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{m.Month}</td><td>{m.StartEquityKrw:N0}</td><td>{m.EndEquityKrw:N0}</td><td>{m.ReturnPct:0.00}</td><td>{m.BuyAndHoldPct:0.00}</td><td>{m.Trades}</td><td>{m.FeesKrw:N0}</td></tr>\n");
        }
        html.Append("</tbody></table></div></body></html>\n");
        return html.ToString();
    }

    // A halo in the background colour keeps the value readable where a line runs under it.
    private const string YLabelStyle = "font-size=\"12\" fill=\"#555\" stroke=\"#fafafa\" stroke-width=\"3\" paint-order=\"stroke\"";

    private sealed record Mark(double X, double Price, bool Buy, string Title);

    /// <summary>The first instant of each UTC month after the start, as a share of the run's time, labelled yyyy-MM.</summary>
    private static List<(double X, string Label)> MonthTicks(long first, long last, long span)
    {
        var ticks = new List<(double, string)>();
        var start = new DateTime(first, DateTimeKind.Utc);
        for (var month = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1); month.Ticks <= last; month = month.AddMonths(1))
        {
            ticks.Add(((double)(month.Ticks - first) / span, month.ToString("yyyy-MM", CultureInfo.InvariantCulture)));
        }
        return ticks;
    }

    private static string Chart(
        string id,
        IReadOnlyList<double> xs,
        IReadOnlyList<(string Name, List<double> Values, string Color)> series,
        List<Mark>? marks,
        Func<double, string> label,
        IReadOnlyList<(double X, string Label)> months)
    {
        var all = series.SelectMany(s => s.Values).Concat(marks?.Select(m => m.Price) ?? []).Where(double.IsFinite).ToList();
        var min = all.Count == 0 ? 0 : all.Min();
        var max = all.Count == 0 ? 1 : all.Max();
        if (max - min < 1e-9)
        {
            max = min + 1;
        }
        double X(double share) => PadX + (Width - 2 * PadX) * Math.Clamp(share, 0, 1);
        double Y(double v) => Top + (Bottom - Top) * (1 - (v - min) / (max - min));
        var svg = new StringBuilder();
        // Below 720 px the chart scrolls sideways in its box rather than shrinking its labels past reading on a phone.
        svg.Append(CultureInfo.InvariantCulture, $"<div class=\"wide\"><svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" preserveAspectRatio=\"xMinYMin meet\">");
        foreach (var (share, text) in months)
        {
            var x = X(share);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"month\" x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Bottom}\" stroke=\"#e0e0e0\"/><text class=\"x-label\" x=\"{x:0.#}\" y=\"{Height - 7}\" font-size=\"12\" fill=\"#666\" text-anchor=\"middle\">{text}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture,
            $"<text class=\"y-label\" x=\"{PadX}\" y=\"{Top + 12}\" {YLabelStyle}>{E(label(max))}</text><text class=\"y-label\" x=\"{PadX}\" y=\"{Bottom - 4}\" {YLabelStyle}>{E(label(min))}</text>");
        foreach (var (name, values, color) in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" data-name=\"{E(name)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"");
            for (var i = 0; i < values.Count; i++)
            {
                svg.Append(CultureInfo.InvariantCulture, $"{X(xs[i]):0.#},{Y(values[i]):0.#} ");
            }
            svg.Append("\"/>");
        }
        foreach (var mark in marks ?? [])
        {
            var x = X(mark.X);
            var y = Y(mark.Price);
            var (className, d, fill) = mark.Buy
                ? ("buy", F($"M{x:0.#},{y - 7:0.#} l-5,9 h10 z"), "#2e7d32")
                : ("sell", F($"M{x:0.#},{y + 7:0.#} l-5,-9 h10 z"), "#c62828");
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"{className}\" d=\"{d}\" fill=\"{fill}\"><title>{E(mark.Title)}</title></path>");
        }
        svg.Append("</svg></div>\n");
        return svg.ToString();
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
