using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using BitcoinAutoTrading.IntegrationTests.Composition;
using BitcoinAutoTrading.IntegrationTests.Http;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard as a person uses it: headless Chromium against the app's HTTP functions over real HTTP (served by
/// <see cref="LocalFunctionsHost"/>, which stands in for the Functions host) over a seeded PostgreSQL. Screenshots of each
/// view go to the test output's artifacts/dashboard folder.
/// </summary>
public sealed class DashboardBrowserTests(DashboardApp app, ITestOutputHelper output) : IClassFixture<DashboardApp>, IAsyncLifetime
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public Task InitializeAsync() => app.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Dashboard_FirstLoad_HasNoConsoleErrorsOrFailedRequests()
    {
        await using var page = await DashboardPage.OpenAsync(app);
        await page.EnterKeyAsync(LocalFunctionsHost.FunctionKey);
        await page.Page.WaitForFunctionAsync("() => document.body.dataset.chartRendered === 'true'");
        var firstRefreshCalls = await page.TextOfBodyDataAsync("lastRefreshCalls");
        await page.RefreshAsync();
        var laterRefreshCalls = await page.TextOfBodyDataAsync("lastRefreshCalls");

        var unexpected = page.Problems.Where(p => !DashboardPage.IsAbsentOptionalApi(p)).ToList();
        Assert.True(unexpected.Count == 0, "Problems on a clean load:\n" + string.Join("\n", unexpected));

        // The measurements the issue asks for, reported with the run (not asserted: the machine's load decides them).
        var transferred = await page.Page.EvaluateExpressionAsync<long>(
            "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((n, e) => n + (e.transferSize || 0), 0)");
        var assets = await page.Page.EvaluateExpressionAsync<long>(
            "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource').filter(e => e.initiatorType !== 'fetch')).reduce((n, e) => n + (e.transferSize || 0), 0)");
        var chartMs = await page.Page.EvaluateExpressionAsync<double>(
            "performance.getEntriesByName('bat:chart-first-render')[0].startTime");
        var report = string.Join('\n',
            $"bytes transferred on first load (page, assets and the first refresh's API calls): {transferred}",
            $"bytes of page and assets alone: {assets}",
            $"first chart render after navigation start: {chartMs:F0} ms (from the key being accepted: {await page.TextOfBodyDataAsync("chartRenderedMs")} ms)",
            $"API calls: first refresh {firstRefreshCalls}, each later refresh {laterRefreshCalls}",
            $"excused (optional APIs absent from functions.metadata): {page.Problems.Count(DashboardPage.IsAbsentOptionalApi)}");
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(await page.ScreenshotAsync("desktop"))!, "measurements.txt"), report);
        Assert.True(transferred < 400 * 1024, $"first load transferred {transferred} bytes; the target is under 400 KB");
    }

    [Fact]
    public async Task Dashboard_SeededDatabase_EveryPanelShowsTheApiNumbers()
    {
        using var api = app.Host.CreateClient(LocalFunctionsHost.FunctionKey);
        await using var page = await DashboardPage.OpenAsync(app);
        await page.EnterKeyAsync(LocalFunctionsHost.FunctionKey);
        await page.Page.WaitForFunctionAsync("() => document.body.dataset.chartRendered === 'true'");

        var position = await GetAsync(api, "api/position");
        Assert.Equal(Btc(position.GetProperty("quantity").GetDecimal()) + " BTC", await page.TextAsync("#position [data-field=quantity]"));
        Assert.Equal("₩100,000,000", await page.TextAsync("#position [data-field=avgEntryPrice]"));
        Assert.Equal(Krw(position.GetProperty("marketValueKrw").GetDecimal()), await page.TextAsync("#position [data-field=marketValueKrw]"));
        Assert.StartsWith(KrwSigned(position.GetProperty("unrealizedPnlKrw").GetDecimal()), await page.TextAsync("#position [data-field=unrealizedPnlKrw]"));
        Assert.Equal("+₩12,345", await page.TextAsync("#position [data-field=realizedPnlKrw]"));

        var balance = await GetAsync(api, "api/balance");
        Assert.Equal(Krw(balance.GetProperty("equityKrw").GetDecimal()), await page.TextAsync("#equity [data-field=equityKrw]"));
        Assert.Equal("₩1,000,000", await page.TextAsync("#equity [data-field=startingEquityKrw]"));
        Assert.StartsWith("\u2212₩4,321", await page.TextAsync("#equity [data-field=todayRealizedPnlKrw]"));
        var daily = await GetAsync(api, "api/stats/daily?days=30");
        Assert.Equal(daily.GetProperty("items").GetArrayLength(), await page.CountAsync("#daily tbody tr"));

        var signals = (await GetAsync(api, "api/signals?limit=20")).GetProperty("items");
        Assert.Equal(signals.GetArrayLength(), await page.CountAsync("#signals tbody tr"));
        foreach (var signal in signals.EnumerateArray())
        {
            var row = $"#signals tr[data-id='{signal.GetProperty("id").GetInt64()}']";
            Assert.Equal(signal.GetProperty("signalType").GetString(), await page.TextAsync(row + " td:nth-child(2)"));
            Assert.Equal(Fixed(signal.GetProperty("confidence").GetDecimal(), 2), await page.TextAsync(row + " td:nth-child(4)"));
            Assert.Contains(signal.GetProperty("provider").GetString()!, await page.TextAsync(row + " td:nth-child(5)"));
        }
        var evaluated = signals.EnumerateArray().Single(s => s.GetProperty("evaluation4h").ValueKind == JsonValueKind.Object);
        Assert.Equal("✓ +0.39%", await page.TextAsync($"#signals tr[data-id='{evaluated.GetProperty("id").GetInt64()}'] td:nth-child(6)"));

        var orders = (await GetAsync(api, "api/orders?limit=20")).GetProperty("items");
        Assert.Equal(orders.GetArrayLength(), await page.CountAsync("#orders tbody tr"));
        foreach (var order in orders.EnumerateArray())
        {
            Assert.StartsWith(order.GetProperty("status").GetString()!,
                await page.TextAsync($"#orders tr[data-id='{order.GetProperty("id").GetInt64()}'] td:nth-child(3)"));
        }

        var risk = await GetAsync(api, "api/risk/status");
        Assert.True(risk.GetProperty("tradingEnabled").GetBoolean());
        Assert.Equal("Trading enabled", await page.TextAsync("#risk [data-field=tradingEnabled]"));
        Assert.Equal("5.00%", await page.TextAsync("#settings [data-field=stopLossPct]"));
        var events = (await GetAsync(api, "api/risk/events?limit=10")).GetProperty("items");
        Assert.Equal(events.GetArrayLength(), await page.CountAsync("#risk-events tbody tr"));
        Assert.Equal("LOW_CONFIDENCE", await page.TextAsync("#risk-events tbody tr td:nth-child(2)"));

        var health = await GetAsync(api, "api/health/detailed", allow503: true);
        Assert.Equal(health.GetProperty("status").GetString(), await page.TextAsync("#health-overall [data-field=overall]"));
        foreach (var component in new[] { "database", "upbit", "ai", "scheduler", "lastSignal", "lastOrder" })
        {
            Assert.Equal(health.GetProperty(component).GetProperty("status").GetString(),
                await page.TextAsync($"#health tr[data-component={component}] td:nth-child(2)"));
        }

        var usage = await GetAsync(api, "api/ai/usage?days=30");
        Assert.Equal(usage.GetProperty("totalInputTokens").GetInt64().ToString("N0", Invariant), await page.TextAsync("#ai [data-field=totalInputTokens]"));
        Assert.Equal("$" + Fixed(usage.GetProperty("totalEstimatedCostUsd").GetDecimal(), 4),
            await page.TextAsync("#ai [data-field=totalEstimatedCostUsd]"));

        var history = await GetAsync(api, "api/market/history?hours=6&limit=360&resolution=1m");
        Assert.Equal(history.GetProperty("count").GetInt32().ToString(Invariant), await page.Page.EvaluateExpressionAsync<string>("document.getElementById('chart').dataset.candles"));
        // The BUY and SELL signals and the buy's fill fall inside the window; HOLD is not marked.
        Assert.Equal("3", await page.Page.EvaluateExpressionAsync<string>("document.getElementById('chart').dataset.markers"));
        Assert.Equal("entry,stopLoss,takeProfit,trailingStop", await page.Page.EvaluateExpressionAsync<string>("document.getElementById('chart').dataset.levels"));

        // Absent on this branch: the panel says so rather than failing.
        if (!HostRouteTable.Metadata.Entries.Any(r => r.Template == "backtests"))
        {
            Assert.Equal("No backtests yet. Not available on this deployment.", await page.TextAsync("#backtests [data-field=backtests]"));
        }
        else
        {
            // Present (merged) and empty on the seeded database: the page read the real list shape, not "absent".
            Assert.Equal("No backtests yet.", await page.TextAsync("#backtests [data-field=backtests]"));
        }
        if (HostRouteTable.Metadata.Entries.Any(r => r.Template == "signals/calibration"))
        {
            Assert.Equal(0, await page.CountAsync("#calibration [data-field=calibration]"));
        }
        await page.ScreenshotAsync("panels");
    }

    [Fact]
    public async Task Halt_WithAdminKeyAndReason_FlipsRiskStatusAndRecordsKillSwitchEvent()
    {
        using var api = app.Host.CreateClient(LocalFunctionsHost.FunctionKey);
        await using var page = await DashboardPage.OpenAsync(app);
        await page.EnterKeyAsync(LocalFunctionsHost.FunctionKey);

        await page.Page.ClickAsync("#halt");
        await page.Page.WaitForSelectorAsync("#admin-dialog[open]");
        await page.Page.TypeAsync("#admin-reason", "browser test halt");
        await page.Page.TypeAsync("#admin-key", LocalFunctionsHost.MasterKey);
        await page.ScreenshotAsync("halt-dialog");
        await page.Page.ClickAsync("#admin-ok");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('risk-card').dataset.tradingEnabled === 'false'");

        Assert.False((await GetAsync(api, "api/risk/status")).GetProperty("tradingEnabled").GetBoolean());
        var killSwitch = (await GetAsync(api, "api/risk/events?type=KILL_SWITCH")).GetProperty("items");
        Assert.Equal(1, killSwitch.GetArrayLength());
        Assert.Equal("Trading halted", await page.TextAsync("#risk [data-field=tradingEnabled]"));
        Assert.Equal("KILL_SWITCH", await page.TextAsync("#risk-events tbody tr td:nth-child(2)"));
        Assert.Equal("true", await page.Page.EvaluateExpressionAsync<string>("String(document.getElementById('halt').disabled)"));
        await page.ScreenshotAsync("halted");
    }

    [Fact]
    public async Task KeyGate_WrongKey_ShowsRejectedMessageNotABlankPage()
    {
        await using var page = await DashboardPage.OpenAsync(app);
        Assert.Equal("Enter the function key to see the dashboard.", await page.TextAsync("#key-error"));

        await page.EnterKeyAsync("not-the-key", expectBoard: false);

        await page.WaitForTextAsync("#key-error", "The key was rejected (401). Check that it is a function key of this app.");
        Assert.True(await page.Page.EvaluateExpressionAsync<bool>("document.getElementById('board').hidden"));
        Assert.False(await page.Page.EvaluateExpressionAsync<bool>("document.getElementById('key-gate').hidden"));
        // The wrong key is not kept for the next visit.
        Assert.True(await page.Page.EvaluateExpressionAsync<bool>(
            "sessionStorage.getItem('bat.functionKey') === null && localStorage.getItem('bat.functionKey') === null"));
        await page.ScreenshotAsync("wrong-key");
    }

    [Fact]
    public async Task SettingsForm_OutOfRangeValue_ShowsTheApis400NextToTheField()
    {
        using var admin = app.Host.CreateClient(LocalFunctionsHost.MasterKey);
        await using var page = await DashboardPage.OpenAsync(app);
        await page.EnterKeyAsync(LocalFunctionsHost.FunctionKey);

        await page.Page.ClickAsync("#edit-settings");
        await page.Page.WaitForSelectorAsync("#admin-dialog[open]");
        await page.Page.TypeAsync("#admin-key", LocalFunctionsHost.MasterKey);
        await page.Page.ClickAsync("#admin-ok");
        await page.Page.WaitForSelectorAsync("#setting-stop_loss_pct", new() { Visible = true });
        await page.Page.EvaluateExpressionAsync("document.getElementById('setting-stop_loss_pct').value = ''");
        await page.Page.TypeAsync("#setting-stop_loss_pct", "500");
        await page.Page.ClickAsync("#settings-form button[type=submit]");
        await page.WaitForNonEmptyAsync("[data-error-for=stop_loss_pct]");

        using var response = await admin.PatchAsJsonAsync("api/config", new Dictionary<string, object> { ["stop_loss_pct"] = 500 });
        Assert.Equal(400, (int)response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var message = string.Join(' ', problem.GetProperty("errors").GetProperty("stop_loss_pct").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(message, await page.TextAsync("[data-error-for=stop_loss_pct]"));
        Assert.Equal("", await page.TextAsync("[data-error-for=take_profit_pct]"));
        var config = await GetAsync(admin, "api/config");
        Assert.Equal(5m, config.GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "stop_loss_pct").GetProperty("value").GetDecimal());
        await page.ScreenshotAsync("settings-400");
    }

    [Fact]
    public async Task Dashboard_At360PxWide_DoesNotScrollSideways()
    {
        await using var page = await DashboardPage.OpenAsync(app, width: 360, height: 780);
        await page.EnterKeyAsync(LocalFunctionsHost.FunctionKey);
        await page.Page.WaitForFunctionAsync("() => document.body.dataset.chartRendered === 'true'");

        var widths = await page.Page.EvaluateExpressionAsync<int[]>(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth, document.body.scrollWidth]");
        Assert.True(widths[0] <= widths[1] && widths[2] <= widths[1], $"scrollWidth {widths[0]} / body {widths[2]} > clientWidth {widths[1]}");
        await page.ScreenshotAsync("mobile-360");
    }

    [Fact]
    public async Task LanguageToggle_Korean_ShowsKoreanLabelsAndKstTimes()
    {
        await using var page = await DashboardPage.OpenAsync(app);
        await page.EnterKeyAsync(LocalFunctionsHost.FunctionKey);
        var refreshes = await page.RefreshesAsync();

        await page.Page.ClickAsync("#lang");
        await page.WaitForRefreshesAsync(refreshes + 1);

        Assert.Equal("비트코인 자동매매", await page.TextAsync("h1"));
        Assert.Equal("리스크", await page.TextAsync("#risk-card h2"));
        // Times read in KST with UTC on hover: the newest signal, 30 minutes before the seeded minute.
        var at = app.Now.AddMinutes(-30);
        var cell = "#signals tbody tr:first-child td:first-child";
        Assert.Equal(at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm:ss", Invariant), await page.TextAsync(cell));
        Assert.Equal(at.ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " UTC",
            await page.Page.EvaluateFunctionAsync<string>("s => document.querySelector(s).title", cell));
        await page.ScreenshotAsync("korean");
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url, bool allow503 = false)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode || (allow503 && (int)response.StatusCode == 503), $"{url} → {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    // As the page formats money (format.js): whole won by JS Math.round (floor of x + 0.5), grouping, U+2212 for minus.
    private static decimal JsRound(decimal value) => Math.Floor(value + 0.5m);

    private static string Krw(decimal value)
    {
        var rounded = JsRound(value);
        return (rounded < 0 ? "\u2212" : "") + "₩" + Math.Abs(rounded).ToString("N0", Invariant);
    }

    private static string KrwSigned(decimal value) => (JsRound(value) > 0 ? "+" : "") + Krw(value);

    private static string Btc(decimal value) => Fixed(value, 8);

    // JS toFixed rounds the double the JSON number parses to; .NET formats that same double the same (IEEE-exact).
    private static string Fixed(decimal value, int digits) => ((double)value).ToString("F" + digits.ToString(Invariant), Invariant);
}
