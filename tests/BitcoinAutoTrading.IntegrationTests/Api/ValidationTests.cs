using BitcoinAutoTrading.IntegrationTests.Fixtures;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>Each validation rule of each route: 400 problem details naming the field, nothing else.</summary>
public sealed class ValidationTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData("GetMarketHistory", "hours=0", "hours")]
    [InlineData("GetMarketHistory", "hours=745", "hours")]
    [InlineData("GetMarketHistory", "hours=abc", "hours")]
    [InlineData("GetMarketHistory", "hours=1.5", "hours")]
    [InlineData("GetMarketHistory", "hours=", "hours")]
    [InlineData("GetMarketHistory", "limit=0", "limit")]
    [InlineData("GetMarketHistory", "limit=1001", "limit")]
    [InlineData("GetMarketHistory", "limit=5&limit=6", "limit")]
    [InlineData("GetMarketHistory", "limit=99999999999999999999", "limit")]
    [InlineData("GetMarketHistory", "resolution=4h", "resolution")]
    [InlineData("GetMarketHistory", "resolution=60", "resolution")]
    [InlineData("GetMarketHistory", "resolution=", "resolution")]
    [InlineData("GetMarketHistory", "resolution=1m&resolution=1h", "resolution")]
    [InlineData("GetMarketStats", "hours=0", "hours")]
    [InlineData("GetMarketStats", "hours=745", "hours")]
    [InlineData("GetMarketStats", "hours=-1", "hours")]
    [InlineData("ListSignals", "limit=0", "limit")]
    [InlineData("ListSignals", "limit=101", "limit")]
    [InlineData("ListSignals", "type=STRONG_BUY", "type")]
    [InlineData("ListSignals", "type=1", "type")]
    [InlineData("ListSignals", "before=0", "before")]
    [InlineData("ListSignals", "before=-5", "before")]
    [InlineData("ListSignals", "before=abc", "before")]
    [InlineData("GetSignalPerformance", "days=0", "days")]
    [InlineData("GetSignalPerformance", "days=366", "days")]
    [InlineData("GetSignalCalibration", "days=0", "days")]
    [InlineData("GetSignalCalibration", "days=366", "days")]
    [InlineData("GetSignalCalibration", "days=week", "days")]
    [InlineData("ListOrders", "status=DONE", "status")]
    [InlineData("ListOrders", "limit=101", "limit")]
    [InlineData("ListOrders", "before=1e3", "before")]
    [InlineData("ListRiskEvents", "type=PANIC", "type")]
    [InlineData("ListRiskEvents", "limit=0", "limit")]
    [InlineData("ListRiskEvents", "before=9223372036854775808", "before")]
    [InlineData("GetDailyStats", "days=0", "days")]
    [InlineData("GetDailyStats", "days=366", "days")]
    [InlineData("GetAiUsage", "days=0", "days")]
    [InlineData("GetAiUsage", "days=366", "days")]
    [InlineData("GetAiUsage", "days=thirty", "days")]
    public async Task Query_InvalidValue_Returns400NamingTheField(string function, string query, string field)
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, function, query);

        Assert.Equal(400, response.Status);
        Assert.True(response.IsProblem);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task Query_SeveralInvalidValues_NamesEveryField()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, "ListSignals", "limit=0&type=MAYBE&before=x");

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("limit"));
        Assert.NotEmpty(response.ErrorsFor("type"));
        Assert.NotEmpty(response.ErrorsFor("before"));
    }

    [Theory]
    [InlineData("GetSignal", "abc")]
    [InlineData("GetSignal", "0")]
    [InlineData("GetSignal", "-1")]
    [InlineData("GetSignal", "1.5")]
    [InlineData("GetOrder", "99999999999999999999")]
    [InlineData("GetOrder", "0x10")]
    public async Task RouteId_Invalid_Returns400NamingId(string function, string id)
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, function, id: id);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("id"));
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("{}", "reason")]
    [InlineData("""{"reason":""}""", "reason")]
    [InlineData("""{"reason":"   "}""", "reason")]
    [InlineData("""{"reason":42}""", "reason")]
    [InlineData("""{"reason":null}""", "reason")]
    [InlineData("""{"reason":"ok","force":true}""", "force")]
    [InlineData("""{"reason":"a","reason":"b"}""", "reason")]
    [InlineData("{\"reason\":\"line\\u0000break\"}", "reason")]
    [InlineData("not json", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("\"text\"", "body")]
    public async Task Halt_InvalidBody_Returns400AndWritesNothing(string body, string field)
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var before = await ApiTestData.FingerprintAsync(host.DataSource);

        var response = await ApiRoutes.CallAsync(host, "HaltTrading", body: body);

        Assert.Equal(400, response.Status);
        Assert.True(response.IsProblem);
        Assert.NotEmpty(response.ErrorsFor(field));
        Assert.Equal(before, await ApiTestData.FingerprintAsync(host.DataSource));
    }

    [Fact]
    public async Task Halt_ReasonOver200Characters_Returns400()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, "HaltTrading", body: $$"""{"reason":"{{new string('x', 201)}}"}""");

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("reason"));
    }

    [Fact]
    public async Task Body_Over16KiB_Returns400NamingBody()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, "PatchConfig", body: $$"""{"ai_model":"{{new string('a', 17_000)}}"}""");

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("body"));
    }

    [Theory]
    [InlineData("""{"min_confidence":1.5}""", "min_confidence")]
    [InlineData("""{"min_confidence":-0.1}""", "min_confidence")]
    [InlineData("""{"min_confidence":"0.5"}""", "min_confidence")]
    [InlineData("""{"stop_loss_pct":0.5}""", "stop_loss_pct")]
    [InlineData("""{"stop_loss_pct":21}""", "stop_loss_pct")]
    [InlineData("""{"position_size_min_pct":0}""", "position_size_min_pct")]
    [InlineData("""{"position_size_max_pct":101}""", "position_size_max_pct")]
    [InlineData("""{"position_size_min_pct":30,"position_size_max_pct":20}""", "position_size_min_pct")]
    [InlineData("""{"position_size_min_pct":30}""", "position_size_min_pct")]
    [InlineData("""{"trade_cooldown_minutes":1.5}""", "trade_cooldown_minutes")]
    [InlineData("""{"trade_cooldown_minutes":-1}""", "trade_cooldown_minutes")]
    [InlineData("""{"trading_enabled":"false"}""", "trading_enabled")]
    [InlineData("""{"trading_enabled":0}""", "trading_enabled")]
    [InlineData("""{"signal_buy_threshold":0}""", "signal_buy_threshold")]
    [InlineData("""{"signal_sell_threshold":0.1}""", "signal_sell_threshold")]
    [InlineData("""{"ai_model":""}""", "ai_model")]
    [InlineData("""{"ai_model":"gemini 2.5"}""", "ai_model")]
    [InlineData("""{"ai_model":null}""", "ai_model")]
    [InlineData("""{"max_exposure_pct":1e400}""", "max_exposure_pct")]
    [InlineData("""{"paper_mode":true}""", "paper_mode")]
    [InlineData("""{"min_confidence":0.5,"min_confidence":0.6}""", "min_confidence")]
    [InlineData("""{}""", "body")]
    [InlineData("""{"min_confidence":0.7,"stop_loss_pct":50}""", "stop_loss_pct")]
    public async Task PatchConfig_InvalidSetting_Returns400AndStoresNothing(string body, string field)
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var before = await ApiTestData.FingerprintAsync(host.DataSource);

        var response = await ApiRoutes.CallAsync(host, "PatchConfig", body: body);

        Assert.Equal(400, response.Status);
        Assert.True(response.IsProblem);
        Assert.NotEmpty(response.ErrorsFor(field));
        Assert.Equal(before, await ApiTestData.FingerprintAsync(host.DataSource));
    }
}
