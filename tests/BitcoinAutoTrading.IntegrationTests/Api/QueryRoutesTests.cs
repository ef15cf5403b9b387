using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Moq;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>Happy paths and 404s of the function-key query routes over real PostgreSQL.</summary>
public sealed class QueryRoutesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task MarketLatest_NoData_Returns404Problem()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, "GetMarketLatest");

        Assert.Equal(404, response.Status);
        Assert.True(response.IsProblem);
    }

    [Fact]
    public async Task MarketLatest_WithMinutes_ReturnsNewestMinuteInCamelCase()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await ApiTestData.SeedMinutesAsync(host, 10);

        var response = await ApiRoutes.CallAsync(host, "GetMarketLatest");

        Assert.Equal(200, response.Status);
        Assert.Equal(ApiTestHost.Now.AddMinutes(-1), response.Body.GetProperty("ts").GetDateTimeOffset());
        Assert.Equal("KRW-BTC", response.Body.GetProperty("market").GetString());
        Assert.True(response.Body.TryGetProperty("valueKrw", out _));
    }

    [Fact]
    public async Task MarketHistory_Defaults_ReturnsNewest100OfLast24Hours()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await ApiTestData.SeedMinutesAsync(host, 300);

        var response = await ApiRoutes.CallAsync(host, "GetMarketHistory");

        Assert.Equal(200, response.Status);
        Assert.Equal(24, response.Body.GetProperty("hours").GetInt32());
        Assert.Equal(100, response.Body.GetProperty("count").GetInt32());
        var items = response.Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(ApiTestHost.Now.AddMinutes(-1), items[0].GetProperty("ts").GetDateTimeOffset());
        Assert.True(items[0].GetProperty("ts").GetDateTimeOffset() > items[1].GetProperty("ts").GetDateTimeOffset());
    }

    [Fact]
    public async Task MarketHistory_HoursAndLimit_BoundTheWindowAndCount()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await ApiTestData.SeedMinutesAsync(host, 300);

        var oneHour = await ApiRoutes.CallAsync(host, "GetMarketHistory", "hours=1&limit=1000");
        var five = await ApiRoutes.CallAsync(host, "GetMarketHistory", "limit=5");

        Assert.Equal(60, oneHour.Body.GetProperty("count").GetInt32());
        Assert.Equal(5, five.Body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task MarketHistory_ResolutionOneHour_ReturnsHourlyBarsNewestFirst()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await ApiTestData.SeedMinutesAsync(host, 300);

        var hourly = await ApiRoutes.CallAsync(host, "GetMarketHistory", "hours=24&resolution=1H");
        var quarters = await ApiRoutes.CallAsync(host, "GetMarketHistory", "hours=1&resolution=15m");
        var minutes = await ApiRoutes.CallAsync(host, "GetMarketHistory", "hours=1&limit=3");

        Assert.Equal(200, hourly.Status);
        Assert.Equal("1h", hourly.Body.GetProperty("resolution").GetString());
        var bars = hourly.Body.GetProperty("items").EnumerateArray().ToList();
        // 300 minutes ending one minute before now span five or six clock hours; together they hold all 300 minutes.
        Assert.Equal(300, bars.Sum(b => b.GetProperty("minutes").GetInt32()));
        Assert.True(bars[0].GetProperty("ts").GetDateTimeOffset() > bars[1].GetProperty("ts").GetDateTimeOffset());
        Assert.All(bars, b => Assert.Equal(0, b.GetProperty("ts").GetDateTimeOffset().Minute));
        Assert.All(bars, b => Assert.Equal(JsonValueKind.Null, b.GetProperty("id").ValueKind));
        Assert.All(quarters.Body.GetProperty("items").EnumerateArray(), b => Assert.Equal(0, b.GetProperty("ts").GetDateTimeOffset().Minute % 15));
        Assert.Equal("1m", minutes.Body.GetProperty("resolution").GetString());
        Assert.All(minutes.Body.GetProperty("items").EnumerateArray(), m => Assert.Equal(1, m.GetProperty("minutes").GetInt32()));
        Assert.True(minutes.Body.GetProperty("items")[0].GetProperty("id").GetInt64() > 0);
    }

    [Fact]
    public async Task MarketStats_OneHour_AggregatesOnlyThatWindow()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await ApiTestData.SeedMinutesAsync(host, 300);
        var firstInWindow = ApiTestHost.Now.AddHours(-1);

        var response = await ApiRoutes.CallAsync(host, "GetMarketStats", "hours=1");

        Assert.Equal(200, response.Status);
        Assert.Equal(60, response.Body.GetProperty("minutes").GetInt32());
        Assert.Equal(firstInWindow, response.Body.GetProperty("from").GetDateTimeOffset());
        // Minute i opens at 95,000,000 + 1,000·i; the window's first minute is i = 240.
        Assert.Equal(95_240_000m, response.Body.GetProperty("open").GetDecimal());
        Assert.True(response.Body.GetProperty("changePct").GetDecimal() > 0);
    }

    [Fact]
    public async Task MarketStats_NoDataInWindow_Returns404Problem()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, "GetMarketStats", "hours=744");

        Assert.Equal(404, response.Status);
        Assert.True(response.IsProblem);
    }

    [Fact]
    public async Task Signals_ListFilterPageAndGet_ReturnStoredSignals()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var buy = await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddMinutes(-90), SignalType.Buy);
        var sell = await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddMinutes(-60), SignalType.Sell);
        var hold = await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddMinutes(-30), SignalType.Hold);

        var all = await ApiRoutes.CallAsync(host, "ListSignals");
        var buys = await ApiRoutes.CallAsync(host, "ListSignals", "type=buy");
        var firstPage = await ApiRoutes.CallAsync(host, "ListSignals", "limit=2");
        var nextBefore = firstPage.Body.GetProperty("nextBefore").GetInt64();
        var secondPage = await ApiRoutes.CallAsync(host, "ListSignals", $"limit=2&before={nextBefore}");
        var one = await ApiRoutes.CallAsync(host, "GetSignal", id: sell.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal([hold, sell, buy], all.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal([buy], buys.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal("BUY", buys.Body.GetProperty("type").GetString());
        Assert.Equal(sell, nextBefore);
        Assert.Equal([buy], secondPage.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal(JsonValueKind.Null, secondPage.Body.GetProperty("nextBefore").ValueKind);
        Assert.Equal(200, one.Status);
        Assert.Equal("SELL", one.Body.GetProperty("signalType").GetString());
        Assert.Equal("gemini", one.Body.GetProperty("provider").GetString());
        Assert.Equal("up", one.Body.GetProperty("reasoning").GetProperty("trend").GetString());
    }

    [Fact]
    public async Task Signal_UnknownId_Returns404Problem()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, "GetSignal", id: "987654");

        Assert.Equal(404, response.Status);
        Assert.True(response.IsProblem);
    }

    [Fact]
    public async Task SignalPerformance_EvaluatedSignals_ReportsAccuracyPerType()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var signals = host.Service<ISignalRepository>();
        var right = await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddDays(-2), SignalType.Buy);
        var wrong = await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddDays(-2).AddHours(1), SignalType.Buy);
        await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddDays(-40), SignalType.Buy);
        await signals.SetEvaluationAsync(right, EvaluationHorizon.FourHours, 96_000_000m, 1.5m, true, ApiTestHost.Now.AddDays(-1));
        await signals.SetEvaluationAsync(wrong, EvaluationHorizon.FourHours, 94_000_000m, -1.2m, false, ApiTestHost.Now.AddDays(-1));

        var response = await ApiRoutes.CallAsync(host, "GetSignalPerformance", "days=7");

        Assert.Equal(200, response.Status);
        var buy = response.Body.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("signalType").GetString() == "BUY");
        Assert.Equal(2, buy.GetProperty("total").GetInt32());
        Assert.Equal(2, buy.GetProperty("fourHours").GetProperty("evaluated").GetInt32());
        Assert.Equal(50m, buy.GetProperty("fourHours").GetProperty("accuracyPct").GetDecimal());
    }

    [Fact]
    public async Task Orders_ListFilterAndGet_ReturnStoredOrders()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var executed = await ApiTestData.SeedExecutedBuyAsync(host, "buy-1", ApiTestHost.Now.AddHours(-2));
        var pending = await ApiTestData.SeedPendingSellAsync(host, "sell-1", ApiTestHost.Now.AddMinutes(-1));

        var all = await ApiRoutes.CallAsync(host, "ListOrders");
        var done = await ApiRoutes.CallAsync(host, "ListOrders", "status=EXECUTED&limit=1");
        var one = await ApiRoutes.CallAsync(host, "GetOrder", id: executed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var missing = await ApiRoutes.CallAsync(host, "GetOrder", id: "424242");

        Assert.Equal([pending.Id, executed.Id], all.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal(2, all.Body.GetProperty("total").GetInt64());
        Assert.Equal(1, done.Body.GetProperty("total").GetInt64());
        Assert.Equal("EXECUTED", done.Body.GetProperty("status").GetString());
        Assert.Equal(executed.Id, done.Body.GetProperty("nextBefore").GetInt64());
        Assert.Equal("BUY", one.Body.GetProperty("side").GetString());
        Assert.Equal("price", one.Body.GetProperty("ordType").GetString());
        Assert.Equal("signal", one.Body.GetProperty("reason").GetString());
        Assert.Equal(100_000_000m, one.Body.GetProperty("avgPrice").GetDecimal());
        Assert.Equal(404, missing.Status);
        Assert.True(missing.IsProblem);
    }

    [Fact]
    public async Task Position_NoRow_ReportsFlatPosition()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, "GetPosition");

        Assert.Equal(200, response.Status);
        Assert.Equal(0m, response.Body.GetProperty("quantity").GetDecimal());
        Assert.False(response.Body.GetProperty("isOpen").GetBoolean());
    }

    [Fact]
    public async Task Position_OpenWithPrice_ReportsUnrealizedPnl()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await ApiTestData.SeedMinutesAsync(host, 1);
        var lastClose = (await host.Service<BitcoinAutoTrading.Core.Market.IMarketDataRepository>().GetLatestAsync("KRW-BTC"))!.Close;
        await host.Service<IPositionRepository>().UpsertAsync(new Position(
            "KRW-BTC", 0.002m, 90_000_000m, 1_000m, 96_000_000m, ApiTestHost.Now.AddDays(-1), ApiTestHost.Now));

        var response = await ApiRoutes.CallAsync(host, "GetPosition");

        Assert.True(response.Body.GetProperty("isOpen").GetBoolean());
        Assert.Equal(lastClose, response.Body.GetProperty("lastPrice").GetDecimal());
        Assert.Equal((lastClose - 90_000_000m) * 0.002m, response.Body.GetProperty("unrealizedPnlKrw").GetDecimal());
        Assert.Equal(0.002m * lastClose, response.Body.GetProperty("marketValueKrw").GetDecimal());
    }

    [Fact]
    public async Task Balance_ExchangeBalances_ValuesCoinAtTickerAndSumsEquity()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        host.Exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new Balance("KRW", 500_000m, 10_000m, 0m),
            new Balance("BTC", 0.004m, 0.001m, 95_000_000m),
        ]);

        var response = await ApiRoutes.CallAsync(host, "GetBalance");

        Assert.Equal(200, response.Status);
        Assert.Equal("Paper", response.Body.GetProperty("mode").GetString());
        Assert.Equal(510_000m, response.Body.GetProperty("krw").GetProperty("total").GetDecimal());
        Assert.Equal(0.005m, response.Body.GetProperty("coin").GetProperty("total").GetDecimal());
        Assert.Equal(500_000m, response.Body.GetProperty("coinValueKrw").GetDecimal());
        Assert.Equal(1_010_000m, response.Body.GetProperty("equityKrw").GetDecimal());
    }

    [Fact]
    public async Task Balance_ExchangeDown_Returns503ProblemWithoutDetails()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        host.Exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeUnavailableException("secret-ish upstream text") { RetryAfter = TimeSpan.FromSeconds(7) });

        var response = await ApiRoutes.CallAsync(host, "GetBalance");

        Assert.Equal(503, response.Status);
        Assert.True(response.IsProblem);
        Assert.Equal("7", response.Headers.RetryAfter.ToString());
        Assert.DoesNotContain("secret-ish", response.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnexpectedFailure_Returns500ProblemWithoutMessageOrStackTrace()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        host.Exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("internal detail Password=hunter2"));

        var response = await ApiRoutes.CallAsync(host, "GetBalance");

        Assert.Equal(500, response.Status);
        Assert.True(response.IsProblem);
        Assert.DoesNotContain("hunter2", response.Body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("at BitcoinAutoTrading", response.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RiskStatus_DailyHaltAndProviderSettings_EntriesNotAllowed()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        host.SettingsProvider.Setup(p => p.GetAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RiskSettings { MinConfidence = 0.75m });
        var stats = host.Service<IDailyStatsRepository>();
        var today = BitcoinAutoTrading.Core.Market.KstClock.TradingDay(ApiTestHost.Now);
        await stats.EnsureDayAsync(today, 1_000_000m);
        await stats.SetHaltAsync(today, "daily loss limit");

        var response = await ApiRoutes.CallAsync(host, "GetRiskStatus");

        Assert.Equal(200, response.Status);
        Assert.True(response.Body.GetProperty("tradingEnabled").GetBoolean());
        Assert.True(response.Body.GetProperty("dailyHalted").GetBoolean());
        Assert.Equal("daily loss limit", response.Body.GetProperty("dailyHaltReason").GetString());
        Assert.False(response.Body.GetProperty("entriesAllowed").GetBoolean());
        Assert.Equal(0.75m, response.Body.GetProperty("settings").GetProperty("minConfidence").GetDecimal());
        Assert.Equal("database", response.Body.GetProperty("settingsSource").GetString());
    }

    [Fact]
    public async Task RiskStatus_NoProviderRegistered_FunctionCannotBeComposed()
    {
        // The status must show what the risk engine acts on, which is the provider's view; without one the function
        // is a composition error rather than a second, possibly different, reading of the settings (issue #18).
        await using var host = await ApiTestHost.CreateAsync(database, withSettingsProvider: false);

        var error = Assert.Throws<InvalidOperationException>(() => host.Function<RiskFunctions>());

        Assert.Contains(nameof(IRiskSettingsProvider), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RiskEvents_FilterAndPage_ReturnNewestFirst()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var first = await ApiTestData.SeedRiskEventAsync(host, RiskEventType.LowConfidence, ApiTestHost.Now.AddHours(-3));
        var second = await ApiTestData.SeedRiskEventAsync(host, RiskEventType.StopLoss, ApiTestHost.Now.AddHours(-2));
        var third = await ApiTestData.SeedRiskEventAsync(host, RiskEventType.LowConfidence, ApiTestHost.Now.AddHours(-1));

        var all = await ApiRoutes.CallAsync(host, "ListRiskEvents");
        var low = await ApiRoutes.CallAsync(host, "ListRiskEvents", "type=LOW_CONFIDENCE&limit=1");
        var lowNext = await ApiRoutes.CallAsync(host, "ListRiskEvents", $"type=low_confidence&before={third}");

        Assert.Equal([third, second, first], all.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal("STOP_LOSS", all.Body.GetProperty("items")[1].GetProperty("eventType").GetString());
        Assert.Equal("test", all.Body.GetProperty("items")[0].GetProperty("details").GetProperty("note").GetString());
        Assert.Equal([third], low.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal([first], lowNext.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task DailyStats_Days_ReturnsDaysInWindowNewestFirst()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var stats = host.Service<IDailyStatsRepository>();
        var today = BitcoinAutoTrading.Core.Market.KstClock.TradingDay(ApiTestHost.Now);
        await stats.EnsureDayAsync(today, 1_000_000m);
        await stats.EnsureDayAsync(today.AddDays(-1), 990_000m);
        await stats.EnsureDayAsync(today.AddDays(-10), 980_000m);

        var recent = await ApiRoutes.CallAsync(host, "GetDailyStats", "days=2");
        var month = await ApiRoutes.CallAsync(host, "GetDailyStats");

        Assert.Equal(200, recent.Status);
        Assert.Equal(
            [today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)],
            recent.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("tradeDate").GetString()));
        Assert.Equal(3, month.Body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task AiUsage_GeminiAndTechnicalSignals_SumsTokensAndEstimatesCost()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddHours(-1));
        await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddHours(-2));
        await host.Service<ISignalRepository>().InsertAsync(
            BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData.Signal(ApiTestHost.Now.AddHours(-3)) with
            {
                Provider = SignalProviderKind.Technical,
                ModelName = null,
                InputTokens = null,
                OutputTokens = null,
                ThinkingTokens = null,
            });

        host.SettingsProvider.Setup(p => p.GetAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RiskSettings { AiDailyBudgetUsd = 0.25m });

        var response = await ApiRoutes.CallAsync(host, "GetAiUsage", "days=1");

        Assert.Equal(200, response.Status);
        // The cap in force and today's (UTC) spend against it, for the dashboard's budget gauge.
        Assert.Equal(0.25m, response.Body.GetProperty("dailyBudgetUsd").GetDecimal());
        Assert.Equal(0.0049m, response.Body.GetProperty("spentTodayUsd").GetDecimal());
        Assert.Equal(4800, response.Body.GetProperty("totalInputTokens").GetInt64());
        Assert.Equal(360, response.Body.GetProperty("totalOutputTokens").GetInt64());
        Assert.Equal(1024, response.Body.GetProperty("totalThinkingTokens").GetInt64());
        // 4,800 × $0.30/M + (360 + 1,024) × $2.50/M = $0.00144 + $0.00346
        Assert.Equal(0.0049m, response.Body.GetProperty("totalEstimatedCostUsd").GetDecimal());
        var day = response.Body.GetProperty("items")[0];
        Assert.Equal(3, day.GetProperty("signals").GetInt32());
        Assert.Equal(2, day.GetProperty("entries").GetArrayLength());
    }
}
