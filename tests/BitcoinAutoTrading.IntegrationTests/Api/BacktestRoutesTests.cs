using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.IntegrationTests.Fixtures;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>GET /api/backtests and /api/backtests/{id} over runs stored in backtest_runs as bat backtest stores them.</summary>
public sealed class BacktestRoutesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Backtests_StoredRuns_ListNewestFirstAndServeOneWithItsReport()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var repository = host.Service<IBacktestRunRepository>();
        var first = await repository.InsertAsync(Record(1.5m, """{"totalReturnPct":1.5,"months":[]}"""));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await repository.InsertAsync(Record(-2.25m, """{"totalReturnPct":-2.25,"months":[{"month":"2026-01"}]}"""));

        var list = await ApiRoutes.CallAsync(host, "ListBacktests", "limit=10");
        var one = await ApiRoutes.CallAsync(host, "GetBacktest", id: first.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var missing = await ApiRoutes.CallAsync(host, "GetBacktest", id: "999999");
        var bad = await ApiRoutes.CallAsync(host, "ListBacktests", "limit=0");

        Assert.Equal(200, list.Status);
        Assert.Equal([second, first], list.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal(-2.25m, list.Body.GetProperty("items")[0].GetProperty("totalReturnPct").GetDecimal());
        Assert.Equal(200, one.Status);
        Assert.Equal(1.5m, one.Body.GetProperty("report").GetProperty("totalReturnPct").GetDecimal());
        Assert.Equal(4m, one.Body.GetProperty("settings").GetProperty("stopLossPct").GetDecimal());
        Assert.Equal("technical", one.Body.GetProperty("summary").GetProperty("provider").GetString());
        Assert.Equal(404, missing.Status);
        Assert.True(missing.IsProblem);
        Assert.Equal(400, bad.Status);
        Assert.NotEmpty(bad.ErrorsFor("limit"));
    }

    private static BacktestRunRecord Record(decimal totalReturn, string report) => new()
    {
        Market = "KRW-BTC",
        From = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        To = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero),
        Provider = "technical",
        SettingsJson = """{"stopLossPct":4}""",
        OptionsJson = """{"slippageBps":5}""",
        ReportJson = report,
        TotalReturnPct = totalReturn,
        BuyAndHoldReturnPct = 3m,
        MaxDrawdownPct = 4m,
        Sharpe = 0.5m,
        TradeCount = 7,
    };
}
