using System.Globalization;
using BitcoinAutoTrading.IntegrationTests.Composition;
using PuppeteerSharp;

namespace BitcoinAutoTrading.IntegrationTests.Dashboard;

/// <summary>
/// One browser tab on the dashboard, recording what a user would call a broken page: console errors, uncaught
/// exceptions, requests that failed or answered 4xx/5xx.
/// </summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    /// <summary>Generous: 8 engineers share 2 cores. Waits end as soon as the outcome shows.</summary>
    public const int WaitMs = 90_000;

    private readonly List<string> _problems = [];

    private readonly IBrowserContext _context;

    private DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return _problems.ToList();
            }
        }
    }

    public static async Task<DashboardPage> OpenAsync(DashboardApp app, int width = 1280, int height = 2200)
    {
        // A fresh incognito context per page: no key or language left in storage by an earlier test.
        var context = await app.Browser.CreateBrowserContextAsync();
        var page = await context.NewPageAsync();
        page.DefaultTimeout = WaitMs;
        page.DefaultNavigationTimeout = WaitMs;
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        var dashboard = new DashboardPage(context, page);
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                dashboard.Record($"console: {e.Message.Text} ({e.Message.Location?.URL})");
            }
        };
        page.PageError += (_, e) => dashboard.Record($"page error: {e.Message}");
        page.RequestFailed += (_, e) => dashboard.Record($"request failed: {e.Request.Url} {e.Request.FailureText}");
        page.Response += (_, e) =>
        {
            if ((int)e.Response.Status >= 400)
            {
                dashboard.Record($"HTTP {(int)e.Response.Status}: {e.Response.Url}");
            }
        };
        await page.GoToAsync(app.DashboardUrl.ToString(), WaitUntilNavigation.Load);
        return dashboard;
    }

    /// <summary>Enters the key in the gate as a user does and waits for the first full refresh (or the gate's message).</summary>
    public async Task EnterKeyAsync(string key, bool expectBoard = true)
    {
        await Page.WaitForSelectorAsync("#key-input", new WaitForSelectorOptions { Visible = true });
        await Page.TypeAsync("#key-input", key);
        await Page.ClickAsync("#key-form button[type=submit]");
        if (expectBoard)
        {
            await WaitForRefreshesAsync(1);
        }
    }

    public async Task WaitForRefreshesAsync(int count) =>
        await Page.WaitForFunctionAsync(
            $"() => Number(document.body.dataset.refreshes || 0) >= {count}",
            new WaitForFunctionOptions { Timeout = WaitMs });

    public async Task<int> RefreshesAsync() =>
        int.Parse(await Page.EvaluateExpressionAsync<string>("document.body.dataset.refreshes || '0'"), CultureInfo.InvariantCulture);

    /// <summary>Clicks Refresh and waits until that refresh has finished.</summary>
    public async Task RefreshAsync()
    {
        var before = await RefreshesAsync();
        await Page.ClickAsync("#refresh");
        await WaitForRefreshesAsync(before + 1);
    }

    public Task<string> TextAsync(string selector) =>
        Page.EvaluateFunctionAsync<string>("s => { const e = document.querySelector(s); return e ? e.textContent.trim() : null; }", selector);

    public Task<string> TextOfBodyDataAsync(string name) =>
        Page.EvaluateFunctionAsync<string>("n => document.body.dataset[n] ?? ''", name);

    public Task<int> CountAsync(string selector) =>
        Page.EvaluateFunctionAsync<int>("s => document.querySelectorAll(s).length", selector);

    public async Task WaitForTextAsync(string selector, string expected) =>
        await Page.WaitForFunctionAsync(
            "(s, x) => { const e = document.querySelector(s); return !!e && e.textContent.trim() === x; }",
            new WaitForFunctionOptions { Timeout = WaitMs }, selector, expected);

    public async Task WaitForNonEmptyAsync(string selector) =>
        await Page.WaitForFunctionAsync(
            "s => { const e = document.querySelector(s); return !!e && e.offsetParent !== null && e.textContent.trim().length > 0; }",
            new WaitForFunctionOptions { Timeout = WaitMs }, selector);

    /// <summary>A full-page screenshot under the test output's artifacts/dashboard folder; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        await Page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        return path;
    }

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }

    /// <summary>
    /// A failed call to an API that another issue adds (backtests, calibration) is how the page learns it is absent; it
    /// is excused only while functions.metadata has no such route, so once that API is merged any failure counts.
    /// </summary>
    public static bool IsAbsentOptionalApi(string problem) =>
        OptionalRoutes.Any(route => problem.Contains("/api/" + route, StringComparison.Ordinal)
                                    && !HostRouteTable.Metadata.Entries.Any(r => r.Template == route || r.Template.StartsWith(route + "/", StringComparison.Ordinal)));

    private static readonly string[] OptionalRoutes = ["backtests", "signals/calibration"];

    public async ValueTask DisposeAsync()
    {
        await Page.CloseAsync();
        await _context.CloseAsync();
    }
}
