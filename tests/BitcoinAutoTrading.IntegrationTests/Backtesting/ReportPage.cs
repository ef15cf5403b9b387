using PuppeteerSharp;

namespace BitcoinAutoTrading.IntegrationTests.Backtesting;

/// <summary>
/// One browser tab on a report file opened as file:// with request interception on: every request the page makes is
/// recorded, and anything but the document itself and data: URLs is aborted, as it would fail on an offline machine.
/// Console errors and uncaught exceptions are recorded too.
/// </summary>
internal sealed class ReportPage : IAsyncDisposable
{
    private const int WaitMs = 90_000;

    private readonly List<string> _requests = [];

    private readonly List<string> _problems = [];

    private readonly IBrowserContext _context;

    private ReportPage(IBrowserContext context, IPage page, string url)
    {
        _context = context;
        Page = page;
        Url = url;
    }

    public IPage Page { get; }

    /// <summary>The document's own file:// URL.</summary>
    public string Url { get; }

    public IReadOnlyList<string> Requests => Snapshot(_requests);

    public IReadOnlyList<string> Problems => Snapshot(_problems);

    public static async Task<ReportPage> OpenAsync(IBrowser browser, string htmlPath, int width = 1280, int height = 900)
    {
        var context = await browser.CreateBrowserContextAsync();
        var page = await context.NewPageAsync();
        page.DefaultTimeout = WaitMs;
        page.DefaultNavigationTimeout = WaitMs;
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        var report = new ReportPage(context, page, new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                Add(report._problems, $"console: {e.Message.Text} ({e.Message.Location?.URL})");
            }
        };
        page.PageError += (_, e) => Add(report._problems, $"page error: {e.Message}");
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            Add(report._requests, e.Request.Url);
            if (e.Request.Url == report.Url || e.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                await e.Request.ContinueAsync();
            }
            else
            {
                await e.Request.AbortAsync();
            }
        };
        await page.GoToAsync(report.Url, WaitUntilNavigation.Load);
        return report;
    }

    public Task<T> EvaluateAsync<T>(string script, params object[] args) => Page.EvaluateFunctionAsync<T>(script, args);

    /// <summary>Whether the page is wider than the window: a reader would have to scroll sideways.</summary>
    public Task<bool> OverflowsHorizontallyAsync() =>
        Page.EvaluateExpressionAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");

    public async Task ScreenshotAsync(string path) =>
        await Page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });

    private static void Add(List<string> list, string item)
    {
        lock (list)
        {
            list.Add(item);
        }
    }

    private static List<string> Snapshot(List<string> list)
    {
        lock (list)
        {
            return list.ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Page.CloseAsync();
        await _context.CloseAsync();
    }
}
