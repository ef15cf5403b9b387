using System.Globalization;
using System.Text.Json;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Backtesting;

/// <summary>
/// The backtest report as a person opens it: the HTML <c>bat backtest</c> wrote (see <see cref="BacktestReportRun"/>),
/// loaded from disk in headless Chromium with the network cut off, read back against the JSON of the same run. The
/// committed sample under docs/ is opened too and, with BAT_WRITE_DOCS=1, photographed into docs/backtest-sample.png.
/// </summary>
public sealed class ReportHtmlBrowserTests(BacktestReportRun run, ITestOutputHelper output) : IClassFixture<BacktestReportRun>
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private const int ChartWidth = 960;
    private const int ChartHeight = 220;

    [Fact]
    public async Task Render_OpenedOffline_RequestsOnlyTheDocumentAndDataUrls()
    {
        await using var page = await ReportPage.OpenAsync(run.Browser, run.HtmlPath);

        var requests = page.Requests;
        output.WriteLine("requests: " + string.Join(", ", requests.Select(r => r.Length > 80 ? r[..80] + "…" : r)));
        Assert.Contains(page.Url, requests);
        Assert.All(requests, r => Assert.True(r == page.Url || r.StartsWith("data:", StringComparison.Ordinal), $"the report requested {r}"));
        // Whatever the interception may not see (a CSS url(), a font) still shows in the resource timings.
        var resources = await page.EvaluateAsync<string[]>("() => performance.getEntriesByType('resource').map(e => e.name)");
        Assert.DoesNotContain(resources, r => r.StartsWith("http", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Render_OpenedInChromium_HasNoConsoleOrPageErrors()
    {
        await using var page = await ReportPage.OpenAsync(run.Browser, run.HtmlPath);

        Assert.True(page.Problems.Count == 0, "Problems on opening the report:\n" + string.Join("\n", page.Problems));
        Assert.StartsWith("Backtest KRW-BTC", await page.Page.GetTitleAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Charts_AreDrawnAcrossTheRangeWithTheirLegendAndAxisLabels()
    {
        await using var page = await ReportPage.OpenAsync(run.Browser, run.HtmlPath);

        var expectedSeries = new Dictionary<string, string[]>
        {
            ["equity-chart"] = ["strategy equity", "buy and hold"],
            ["drawdown-chart"] = ["drawdown"],
            ["price-chart"] = ["price"],
        };
        var monthLabels = Months(run.From, run.To).Skip(1).ToArray();
        foreach (var (chart, names) in expectedSeries)
        {
            var series = await page.EvaluateAsync<SeriesShape[]>("""
                id => [...document.querySelectorAll('#' + id + ' polyline.series')].map(p => {
                  const pts = p.getAttribute('points').trim().split(/\s+/).map(s => s.split(',').map(Number));
                  const xs = pts.map(q => q[0]), ys = pts.map(q => q[1]);
                  return { name: p.dataset.name, points: pts.length, finite: pts.every(q => q.length === 2 && q.every(Number.isFinite)),
                           minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys),
                           length: p.getTotalLength(), shown: p.getBoundingClientRect().width };
                })
                """, chart);
            Assert.Equal(names, series.Select(s => s.Name));
            foreach (var s in series)
            {
                var where = $"{chart} {s.Name}";
                Assert.True(s.Points > 500, $"{where}: {s.Points} points");
                Assert.True(s.Finite, $"{where}: a coordinate is not a number");
                Assert.True(s.MinX >= 0 && s.MaxX <= ChartWidth && s.MinY >= 0 && s.MaxY <= ChartHeight, $"{where}: outside the chart ({s.MinX}..{s.MaxX}, {s.MinY}..{s.MaxY})");
                Assert.True(s.MaxX - s.MinX > 0.95 * ChartWidth, $"{where}: spans {s.MinX}..{s.MaxX} of {ChartWidth}");
                Assert.True(s.Length > ChartWidth && s.Shown > 500, $"{where}: drawn {s.Length} long, {s.Shown} px wide on screen");
            }
            Assert.Equal(2, await page.EvaluateAsync<int>("id => document.querySelectorAll('#' + id + ' text.y-label').length", chart));
            Assert.Equal(monthLabels, await page.EvaluateAsync<string[]>("id => [...document.querySelectorAll('#' + id + ' text.x-label')].map(t => t.textContent)", chart));
        }
        var legend = await page.EvaluateAsync<string>("() => document.getElementById('equity-chart').parentElement.previousElementSibling.textContent");
        Assert.Contains("strategy equity", legend, StringComparison.Ordinal);
        Assert.Contains("buy and hold", legend, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_PriceChart_HasOneMarkerPerOrderAtItsTimeInsideTheChart()
    {
        await using var page = await ReportPage.OpenAsync(run.Browser, run.HtmlPath);

        var orders = run.Json.GetProperty("orders").EnumerateArray().ToList();
        var markers = await page.EvaluateAsync<MarkerShape[]>("""
            () => [...document.querySelectorAll('#price-chart path.buy, #price-chart path.sell')].map(p => {
              const b = p.getBBox();
              return { side: p.getAttribute('class'), x: b.x, y: b.y, width: b.width, height: b.height, title: p.querySelector('title')?.textContent ?? '' };
            })
            """);
        Assert.True(orders.Count >= 4, $"the run must trade to be a test of the markers ({orders.Count} orders)");
        Assert.Equal(run.Json.GetProperty("report").GetProperty("orderCount").GetInt32(), orders.Count);
        Assert.Equal(orders.Select(o => o.GetProperty("side").GetString()), markers.Select(m => m.Side));
        var start = run.From.UtcTicks;
        var span = (double)(run.To.AddMinutes(-1).UtcTicks - start);
        for (var i = 0; i < orders.Count; i++)
        {
            var m = markers[i];
            var at = orders[i].GetProperty("at").GetDateTimeOffset();
            Assert.True(m.X >= 0 && m.X + m.Width <= ChartWidth && m.Y >= 0 && m.Y + m.Height <= ChartHeight,
                $"marker {i} ({m.Title}) outside the chart: {m.X},{m.Y} {m.Width}×{m.Height}");
            // The triangle's tip is the order's time on the chart's time axis (6 px padding each side).
            var expectedX = 6 + (ChartWidth - 12) * ((at.UtcTicks - start) / span);
            Assert.True(Math.Abs(m.X + m.Width / 2 - expectedX) < 1.5, $"marker {i} at x {m.X + m.Width / 2:0.0}, its order's time is at {expectedX:0.0}");
            Assert.StartsWith(at.ToString("yyyy-MM-dd HH:mm", Invariant), m.Title, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Render_Metrics_EqualTheJsonOfTheSameRun()
    {
        await using var page = await ReportPage.OpenAsync(run.Browser, run.HtmlPath);

        var shown = (await page.EvaluateAsync<string[][]>("() => [...document.querySelectorAll('#metrics tr')].map(tr => [tr.cells[0].textContent, tr.cells[1].textContent])"))
            .ToDictionary(r => r[0], r => r[1], StringComparer.Ordinal);
        var report = run.Json.GetProperty("report");
        Assert.Equal(Pct(report, "totalReturnPct"), shown["Total return"]);
        Assert.Equal(Pct(report, "buyAndHoldReturnPct"), shown["Buy and hold"]);
        Assert.Equal(
            $"{Pct(report, "maxDrawdownPct")} (longest under water {report.GetProperty("maxDrawdownDays").GetDouble().ToString("0.0", Invariant)} days)",
            shown["Max drawdown"]);
        Assert.Equal($"{report.GetProperty("tradeCount").GetInt32()} / {report.GetProperty("orderCount").GetInt32()}", shown["Trades (closed) / orders"]);
        Assert.Equal(report.GetProperty("feesPaidKrw").GetDecimal().ToString("N0", Invariant) + " KRW", shown["Fees paid"]);
        var header = await page.EvaluateAsync<string>("() => document.querySelector('h1 + p').textContent");
        Assert.Contains(report.GetProperty("minutes").GetInt32().ToString("N0", Invariant) + " minutes", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MonthsTable_HasOneRowPerMonthOfTheRange()
    {
        await using var page = await ReportPage.OpenAsync(run.Browser, run.HtmlPath);

        var rows = await page.EvaluateAsync<string[][]>("() => [...document.querySelectorAll('#months tbody tr')].map(tr => [...tr.cells].map(c => c.textContent))");
        var months = run.Json.GetProperty("report").GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(Months(run.From, run.To), rows.Select(r => r[0]));
        Assert.Equal(["2026-01", "2026-02", "2026-03"], rows.Select(r => r[0]));
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(months[i].GetProperty("returnPct").GetDecimal().ToString("0.00", Invariant), rows[i][3]);
            Assert.Equal(months[i].GetProperty("trades").GetInt32().ToString(Invariant), rows[i][5]);
        }
    }

    [Fact]
    public async Task Render_ShownText_HasNoNaNInfinityOrMinusZero()
    {
        await using var page = await ReportPage.OpenAsync(run.Browser, run.HtmlPath);

        var texts = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('td, th, p, h1, h2, text')].map(e => e.textContent.trim())");
        Assert.DoesNotContain(texts, t => t.Contains("NaN", StringComparison.Ordinal) || t.Contains("Infinity", StringComparison.Ordinal) || t.Contains('∞'));
        // A run starts at its peak, so the drawdown's top label is zero: it must not read "-0".
        Assert.DoesNotContain(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^-0([.,]0+)?( %)?$"));
        Assert.Equal("0.0 %", await page.EvaluateAsync<string>("() => document.querySelector('#drawdown-chart text.y-label').textContent"));
    }

    [Fact]
    public async Task Render_DataWithAMissingDay_LeavesItsTimeEmptyOnTheCharts()
    {
        await using var page = await ReportPage.OpenAsync(run.Browser, run.GappedHtmlPath);

        // Points sit at their minute's time: the missing middle day of three is a third of the width with no point in it
        // (drawn by index, the line would close the hole and every later trade would sit left of its price).
        var steps = await page.EvaluateAsync<double[]>("""
            () => { const xs = document.querySelector('#price-chart polyline.series').getAttribute('points').trim().split(/\s+/).map(p => Number(p.split(',')[0]));
                    return xs.slice(1).map((x, i) => x - xs[i]); }
            """);
        Assert.All(steps, s => Assert.True(s > 0, "the points must run left to right"));
        var plotWidth = ChartWidth - 12;
        Assert.InRange(steps.Max(), plotWidth / 3.0 * 0.97, plotWidth / 3.0 * 1.03);
        var gaps = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('#metrics tr')].find(tr => tr.cells[0].textContent === 'Data gaps').cells[1].textContent");
        Assert.Equal("1 (1440 minutes, longest 1440)", gaps);
        Assert.True(page.Problems.Count == 0, string.Join("\n", page.Problems));
    }

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task Render_AtWidth_LaysOutWithoutHorizontalOverflowWithReadableChartLabels(int width)
    {
        await using var page = await ReportPage.OpenAsync(run.Browser, run.HtmlPath, width);

        await AssertFitsAsync(page, width);
    }

    /// <summary>
    /// The committed sample is what the README links: it must open as cleanly as a fresh report. With BAT_WRITE_DOCS=1 it
    /// is also photographed, 1280 px wide, into docs/backtest-sample.png (the README's picture).
    /// </summary>
    [Fact]
    public async Task CommittedSample_OpenedAt1280Px_IsSelfContainedAndFitsAndIsPhotographedWhenAsked()
    {
        var sample = RepositoryFiles.PathOf("docs", "backtest-sample.html");
        await using var page = await ReportPage.OpenAsync(run.Browser, sample, 1280, 800);

        Assert.True(page.Problems.Count == 0, "Problems on opening the sample:\n" + string.Join("\n", page.Problems));
        Assert.All(page.Requests, r => Assert.True(r == page.Url || r.StartsWith("data:", StringComparison.Ordinal), $"the sample requested {r}"));
        await AssertFitsAsync(page, 1280);
        Assert.Equal(3, await page.EvaluateAsync<int>("() => document.querySelectorAll('svg').length"));
        if (Environment.GetEnvironmentVariable("BAT_WRITE_DOCS") == "1")
        {
            var picture = RepositoryFiles.PathOf("docs", "backtest-sample.png");
            await page.ScreenshotAsync(picture);
            output.WriteLine($"wrote {picture} ({new FileInfo(picture).Length:N0} bytes)");
        }
    }

    private static async Task AssertFitsAsync(ReportPage page, int width)
    {
        var (scrollWidth, innerWidth) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("() => window.innerWidth"));
        Assert.Equal(width, innerWidth);
        Assert.True(scrollWidth <= innerWidth, $"at {width} px the page is {scrollWidth} px wide");
        // Nothing is cut off by the window either: every chart's box ends inside it (a chart wider than its box scrolls in it).
        var chartRight = await page.EvaluateAsync<double>("() => Math.max(...[...document.querySelectorAll('svg')].map(s => s.parentElement.getBoundingClientRect().right))");
        Assert.True(chartRight <= innerWidth, $"at {width} px a chart's box ends at {chartRight} px");
        // And its labels stay readable: at least 8 px tall on screen (a 960-unit chart squeezed into a phone draws them at 4 px).
        var smallest = await page.EvaluateAsync<double>("() => Math.min(...[...document.querySelectorAll('svg text')].map(t => t.getBoundingClientRect().height))");
        Assert.True(smallest >= 8, $"at {width} px a chart label is {smallest:0.0} px tall");
    }

    /// <summary>Every UTC month that has a minute in [from, to), as yyyy-MM.</summary>
    private static List<string> Months(DateTimeOffset from, DateTimeOffset to)
    {
        var months = new List<string>();
        for (var m = new DateTimeOffset(from.Year, from.Month, 1, 0, 0, 0, TimeSpan.Zero); m < to; m = m.AddMonths(1))
        {
            months.Add(m.ToString("yyyy-MM", Invariant));
        }
        return months;
    }

    private static string Pct(JsonElement report, string name) => report.GetProperty(name).GetDecimal().ToString("0.00", Invariant) + " %";

    public sealed record SeriesShape(string Name, int Points, bool Finite, double MinX, double MaxX, double MinY, double MaxY, double Length, double Shown);

    public sealed record MarkerShape(string Side, double X, double Y, double Width, double Height, string Title);
}
