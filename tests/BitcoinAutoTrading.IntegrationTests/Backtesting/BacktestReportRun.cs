using System.Text.Json;
using BitcoinAutoTrading.Cli;
using BitcoinAutoTrading.IntegrationTests.Browser;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.UnitTests.Backtesting;
using PuppeteerSharp;

namespace BitcoinAutoTrading.IntegrationTests.Backtesting;

/// <summary>
/// One <c>bat backtest</c> run as the operator makes it (generated minutes in PostgreSQL, the real command tree, its HTML
/// and JSON written to a temp folder) over three calendar months, a short run of another market with a day missing from
/// its data, and one headless Chromium to open the reports in.
/// </summary>
public sealed class BacktestReportRun : IAsyncLifetime
{
    private static readonly DateTimeOffset DataStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private readonly PostgresDatabaseFixture _database = new();

    private string _folder = "";

    /// <summary>2026-01-19 to 2026-03-09: January, February and March are in the range.</summary>
    public DateTimeOffset From { get; } = DataStart.AddDays(14);

    public DateTimeOffset To { get; } = DataStart.AddDays(63);

    public string HtmlPath { get; private set; } = "";

    /// <summary>Three days of <see cref="GappedMarket"/> whose middle day has no stored minute.</summary>
    public string GappedHtmlPath { get; private set; } = "";

    public const string GappedMarket = "KRW-ETH";

    public DateTimeOffset GappedFrom => From;

    public DateTimeOffset GappedTo => From.AddDays(3);

    /// <summary>The JSON the same run wrote: the numbers the page must show.</summary>
    public JsonElement Json { get; private set; }

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        // The 14 days before From are the warm-up, so the whole range is traded.
        await BacktestTestData.InsertMinutesAsync(_database.DataSource, GeneratedMarket.Minutes(DataStart, 63 * 1440, seed: 5));
        var gapped = GeneratedMarket.Minutes(DataStart, 17 * 1440, seed: 5)
            .Where(m => m.Ts < GappedFrom.AddDays(1) || m.Ts >= GappedFrom.AddDays(2))
            .Select(m => m with { Market = GappedMarket });
        await BacktestTestData.InsertMinutesAsync(_database.DataSource, gapped);
        _folder = Directory.CreateTempSubdirectory("bat-report-").FullName;
        var stem = await BacktestAsync(GeneratedMarket.Market, From, To);
        HtmlPath = stem + ".html";
        Json = JsonDocument.Parse(await File.ReadAllTextAsync(stem + ".json")).RootElement.Clone();
        GappedHtmlPath = await BacktestAsync(GappedMarket, GappedFrom, GappedTo) + ".html";
        Browser = await HeadlessChromium.LaunchAsync();
    }

    /// <summary>Runs <c>bat backtest</c> into the temp folder; returns the written files' path without extension.</summary>
    private async Task<string> BacktestAsync(string market, DateTimeOffset from, DateTimeOffset to)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BatCli.RunAsync(
            ["backtest", "--market", market, "--from", Day(from), "--to", Day(to), "--out", _folder, "--set", "min_confidence=0.3", "--no-store"],
            new CliContext(output, error, new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = _database.ConnectionString }));
        Assert.True(code == 0, $"bat backtest {market} exited {code}: {error}");
        return Path.Combine(_folder, $"backtest-{market}-{from:yyyyMMdd}-{to:yyyyMMdd}");
    }

    private static string Day(DateTimeOffset at) => at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
            Browser.Dispose();
        }
        await _database.DisposeAsync();
        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
