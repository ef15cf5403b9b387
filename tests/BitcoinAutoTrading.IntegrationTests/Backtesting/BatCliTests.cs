using System.Text.Json;
using BitcoinAutoTrading.Cli;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.UnitTests.Backtesting;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace BitcoinAutoTrading.IntegrationTests.Backtesting;

/// <summary>
/// <c>bat</c> as the operator runs it (the same command tree Program.cs invokes, with its output captured and an
/// explicit environment instead of the process one), against the test database and the Upbit fake over HTTP.
/// </summary>
public sealed class BatCliTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Migrate_MigratedDatabase_SaysUpToDate()
    {
        var (code, output, error) = await RunAsync(["migrate"], Env());

        Assert.Equal(0, code);
        Assert.Contains("Database is up to date.", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Migrate_UnreachableDatabase_FailsNamingTheHost()
    {
        var (code, _, error) = await RunAsync(["migrate", "--connection", "Host=127.0.0.1;Port=1;Database=bat;Username=postgres"], []);

        Assert.Equal(1, code);
        Assert.Contains("Cannot reach PostgreSQL at 127.0.0.1:1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_NoConnectionConfigured_FailsNamingTheSetting()
    {
        var (code, _, error) = await RunAsync(["migrate"], []);

        Assert.Equal(1, code);
        Assert.Contains("ConnectionStrings__Postgres", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--frm", "2026-01-01", "--frm")]
    [InlineData("--slippage-bps", "5000", "--slippage-bps must be between 0 and 1000")]
    [InlineData("--provider", "gemini", "--provider: 'gemini' is not one of technical, recorded")]
    [InlineData("--fill-at", "close", "--fill-at: 'close' is not one of open, ticker")]
    [InlineData("--set", "stop_loss_pct=40", "stop_loss_pct must be between 1 and 20")]
    [InlineData("--set", "no_such_setting=1", "no_such_setting unknown setting")]
    public async Task Backtest_BadFlag_FailsNamingIt(string flag, string value, string message)
    {
        var (code, _, error) = await RunAsync(["backtest", "--from", "2026-01-01", "--to", "2026-02-01", flag, value, "--no-store"], Env());

        Assert.NotEqual(0, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01/03/2026", "2026-02-01")]
    [InlineData("2026-01-01", "March 1 2026")]
    [InlineData("2026-1-1", "2026-02-01")]
    public async Task Backtest_DateNotIso8601_RefusedRatherThanGuessed(string from, string to)
    {
        var (code, _, error) = await RunAsync(["backtest", "--from", from, "--to", to, "--no-store"], Env());

        Assert.Equal(2, code);
        Assert.Contains("is not a date or time (use e.g. 2026-01-31 or 2026-01-31T12:00Z)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BacktestAndSweep_SameSettingTwice_RefusedNamingIt()
    {
        var backtest = await RunAsync(
            ["backtest", "--from", "2026-01-01", "--to", "2026-02-01", "--set", "stop_loss_pct=4", "--set", "stop_loss_pct=6", "--no-store"], Env());
        var sweep = await RunAsync(
            ["sweep", "--from", "2026-01-01", "--to", "2026-02-01", "--set", "stop_loss_pct=3,5", "--set", "stop_loss_pct=7"], Env());

        Assert.Equal(2, backtest.Code);
        Assert.Contains("--set: stop_loss_pct is given more than once", backtest.Error, StringComparison.Ordinal);
        Assert.Equal(2, sweep.Code);
        Assert.Contains("--set: stop_loss_pct is given more than once", sweep.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_StoredMinutes_PrintsTheReportWritesJsonAndHtmlAndStoresTheRun()
    {
        await database.ResetAsync();
        await BacktestTestData.InsertMinutesAsync(database.DataSource, GeneratedMarket.Minutes(Start, 21 * 1440, seed: 5));
        var folder = Directory.CreateTempSubdirectory("bat-backtest-").FullName;

        var (code, output, error) = await RunAsync(
            ["backtest", "--from", "2026-01-19", "--to", "2026-01-26", "--out", folder, "--set", "min_confidence=0.3", "--slippage-bps", "0"], Env());

        Assert.True(code == 0, error);
        // Only the 14 days before --from are stored: the longer timeframes are said to be shallower than live's 200.
        Assert.Contains("note: at the first decision (2026-01-19 00:00 UTC) 4h had 84, 1d had 14, 1w had 2 of the 200 candles", error, StringComparison.Ordinal);
        Assert.Contains("total return", output, StringComparison.Ordinal);
        Assert.Contains("buy and hold", output, StringComparison.Ordinal);
        Assert.Contains("2026-01", output, StringComparison.Ordinal);
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "backtest-KRW-BTC-20260119-20260126.json"))).RootElement;
        var report = json.GetProperty("report");
        Assert.Equal(7 * 1440, report.GetProperty("minutes").GetInt32());
        Assert.Equal(0.3m, json.GetProperty("settings").GetProperty("minConfidence").GetDecimal());
        Assert.Equal(report.GetProperty("orderCount").GetInt32(), json.GetProperty("orders").GetArrayLength());
        var html = await File.ReadAllTextAsync(Path.Combine(folder, "backtest-KRW-BTC-20260119-20260126.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<(long Id, decimal Total, int Trades)>(
            "SELECT id, total_return_pct, trade_count FROM backtest_runs");
        Assert.Equal(report.GetProperty("totalReturnPct").GetDecimal(), stored.Total);
        Assert.Equal(report.GetProperty("tradeCount").GetInt32(), stored.Trades);
        Assert.Contains($"stored as backtest run {stored.Id}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_RangeShorterThanTheWarmUpOrEmpty_FailsWithTheReason()
    {
        await database.ResetAsync();
        await BacktestTestData.InsertMinutesAsync(database.DataSource, GeneratedMarket.Minutes(Start, 5 * 1440, seed: 5));

        var warm = await RunAsync(["backtest", "--from", "2026-01-05", "--to", "2026-01-09", "--no-store"], Env());
        var empty = await RunAsync(["backtest", "--from", "2025-06-01", "--to", "2025-07-01", "--no-store"], Env());

        Assert.Equal(2, warm.Code);
        Assert.Contains("14-day warm-up", warm.Error, StringComparison.Ordinal);
        Assert.Equal(2, empty.Code);
        Assert.Contains("No stored KRW-BTC minutes", empty.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_Grid_RanksEveryCombinationMarksTheSettingsInForceAndShowsTheHeldOutPart()
    {
        await database.ResetAsync();
        await BacktestTestData.InsertMinutesAsync(database.DataSource, GeneratedMarket.Minutes(Start, 24 * 1440, seed: 5));

        var (code, output, error) = await RunAsync(
            ["sweep", "--from", "2026-01-19", "--to", "2026-01-29", "--set", "stop_loss_pct=3,5", "--set", "take_profit_pct=6,8",
             "--set", "min_confidence=0.3", "--holdout", "30%"], Env());

        Assert.True(code == 0, error);
        var rows = output.Split('\n').Where(l => l.Length > 4 && char.IsDigit(l.TrimStart()[0])).ToList();
        Assert.Equal(4, rows.Count);
        // stop_loss_pct 5 and take_profit_pct 8 are the defaults, i.e. in force (min_confidence is swept to one value).
        Assert.DoesNotContain(rows, r => r.Contains('*', StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Contains("|", r, StringComparison.Ordinal));
        Assert.Contains("ranked by sharpe on the first 70% of the range", output, StringComparison.Ordinal);
        var inForce = await RunAsync(["sweep", "--from", "2026-01-19", "--to", "2026-01-29", "--set", "stop_loss_pct=3,5"], Env());
        Assert.Single(inForce.Output.Split('\n'), l => l.Contains('*', StringComparison.Ordinal) && l.Contains("     5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_UpbitFake_Pages200PerCallWithToAndResumesWithoutRefetching()
    {
        await database.ResetAsync();
        using var upbit = UpbitFake.Start();
        var minutes = GeneratedMarket.Minutes(Start, 1000, seed: 9)
            .Where(m => m.Ts != Start.AddMinutes(500))
            .Select(m => new Candle(m.Market, m.Ts, m.Open, m.High, m.Low, m.Close, m.Volume, m.ValueKrw))
            .ToList();
        upbit.SetCandles(GeneratedMarket.Market, CandleInterval.Minute1, minutes);
        var env = Env(("Upbit__BaseUrl", upbit.Url));

        var first = await RunAsync(["import", "--from", "2026-01-05", "--to", "2026-01-05T16:40Z"], env);
        var requests = upbit.RequestCount(UpbitEndpoint.Candles);
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(999, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM market_data"));
        }
        // Resumable: a page whose minutes are all stored costs no request; the page with the hole is asked again.
        var second = await RunAsync(["import", "--from", "2026-01-05", "--to", "2026-01-05T16:40Z"], env);

        Assert.True(first.Code == 0, first.Error);
        Assert.Equal(5, requests);
        Assert.All(upbit.Requests.Where(r => r.Endpoint == UpbitEndpoint.Candles),
            r => Assert.Contains("count=200", r.PathAndQuery, StringComparison.Ordinal));
        Assert.Equal(5, upbit.Requests.Where(r => r.Endpoint == UpbitEndpoint.Candles).Select(r => r.PathAndQuery).Distinct().Count());
        Assert.Contains("100%", first.Output, StringComparison.Ordinal);
        Assert.Contains("5 pages (5 fetched, 0 already stored), 999 minutes fetched, 999 rows written", first.Output, StringComparison.Ordinal);
        Assert.Contains("1 without a candle at Upbit", first.Output, StringComparison.Ordinal);
        Assert.True(second.Code == 0, second.Error);
        Assert.Equal(requests + 1, upbit.RequestCount(UpbitEndpoint.Candles));
        Assert.Contains("5 pages (1 fetched, 4 already stored), 199 minutes fetched, 0 rows written", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_RangeOlderThanTheMinuteRetention_WarnsThatThePurgeDeletesItAndStillImports()
    {
        await database.ResetAsync();
        using var upbit = UpbitFake.Start();
        var minutes = GeneratedMarket.Minutes(Start, 100, seed: 9)
            .Select(m => new Candle(m.Market, m.Ts, m.Open, m.High, m.Low, m.Close, m.Volume, m.ValueKrw))
            .ToList();
        upbit.SetCandles(GeneratedMarket.Market, CandleInterval.Minute1, minutes);
        // 2026-01-05 is 512 days before 2027-06-01: past the default 365 days, within 1,000.
        var later = new FakeTimeProvider(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero));
        string[] args = ["import", "--from", "2026-01-05", "--to", "2026-01-05T01:40Z"];

        var beyond = await RunAsync(args, Env(("Upbit__BaseUrl", upbit.Url)), later);
        var within = await RunAsync(args, Env(("Upbit__BaseUrl", upbit.Url), ("MarketData__RetentionDays", "1000")), later);

        Assert.Equal(0, beyond.Code);
        Assert.Contains("warning: minutes before 2026-06-01 00:00 UTC are older than MarketData__RetentionDays (365)", beyond.Error, StringComparison.Ordinal);
        Assert.Contains("database of its own", beyond.Error, StringComparison.Ordinal);
        Assert.Contains("100 rows written", beyond.Output, StringComparison.Ordinal);
        Assert.Equal(0, within.Code);
        Assert.DoesNotContain("warning", within.Error, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Env(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = database.ConnectionString };
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }
        return env;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(
        string[] args, Dictionary<string, string?> environment, TimeProvider? clock = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BatCli.RunAsync(args, new CliContext(output, error, environment, clock));
        return (code, output.ToString(), error.ToString());
    }
}
