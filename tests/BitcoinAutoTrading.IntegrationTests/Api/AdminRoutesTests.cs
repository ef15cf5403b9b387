using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Moq;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>Admin routes end to end over real PostgreSQL: kill switch, configuration, manual signal cooldown.</summary>
public sealed class AdminRoutesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task HaltThenResume_FlipsTradingEnabled_RecordsKillSwitchEvents_NotifiesAndInvalidates()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var config = host.Service<ISystemConfigRepository>();
        var events = host.Service<IRiskEventRepository>();

        var halt = await ApiRoutes.CallAsync(host, "HaltTrading", body: """{"reason":"exchange maintenance"}""");
        var afterHalt = await config.GetAsync("trading_enabled");
        var resume = await ApiRoutes.CallAsync(host, "ResumeTrading");
        var afterResume = await config.GetAsync("trading_enabled");

        Assert.Equal(200, halt.Status);
        Assert.False(halt.Body.GetProperty("tradingEnabled").GetBoolean());
        Assert.Equal("exchange maintenance", halt.Body.GetProperty("reason").GetString());
        Assert.Equal("false", afterHalt!.ValueJson);
        Assert.Equal(200, resume.Status);
        Assert.True(resume.Body.GetProperty("entriesAllowed").GetBoolean());
        Assert.Equal("true", afterResume!.ValueJson);
        var recorded = await events.ListAsync(10, RiskEventType.KillSwitch);
        Assert.Equal(["trading resumed", "trading halted"], recorded.Select(e => e.ActionTaken));
        Assert.Contains("exchange maintenance", recorded[1].DetailsJson, StringComparison.Ordinal);
        Assert.Equal(halt.Body.GetProperty("riskEventId").GetInt64(), recorded[1].Id);
        host.Notifier.Verify(n => n.NotifyAsync(It.Is<string>(m => m.Contains("exchange maintenance")), NotificationSeverity.Critical, It.IsAny<CancellationToken>()), Times.Once);
        host.Notifier.Verify(n => n.NotifyAsync(It.IsAny<string>(), NotificationSeverity.Info, It.IsAny<CancellationToken>()), Times.Once);
        host.SettingsProvider.Verify(p => p.InvalidateAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Halt_WithoutSettingsProvider_FunctionCannotBeComposed()
    {
        // The halt must invalidate the settings cache the risk engine reads; without a provider it must not run at all
        // (issue #18: a required service is a constructor dependency, not optional).
        await using var host = await ApiTestHost.CreateAsync(database, withSettingsProvider: false);

        var error = Assert.Throws<InvalidOperationException>(() => host.Function<TradingControlFunctions>());

        Assert.Contains(nameof(IRiskSettingsProvider), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetConfig_NothingStored_ListsEverySettingWithDefaults()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var response = await ApiRoutes.CallAsync(host, "GetConfig");

        Assert.Equal(200, response.Status);
        var settings = response.Body.GetProperty("settings").EnumerateArray().ToList();
        Assert.Equal(ConfigSettingRules.All.Select(r => r.Key), settings.Select(s => s.GetProperty("key").GetString()));
        // SPEC §5.1's 15 and issue #16's min_hit_rate, hit_rate_sample_size, ai_daily_budget_usd, ai_shadow_model.
        Assert.Equal(19, settings.Count);
        Assert.All(settings, s => Assert.Equal("default", s.GetProperty("source").GetString()));
        var minConfidence = settings.Single(s => s.GetProperty("key").GetString() == "min_confidence");
        Assert.Equal(0.6m, minConfidence.GetProperty("value").GetDecimal());
        Assert.Equal(1m, minConfidence.GetProperty("max").GetDecimal());
        Assert.Equal("gemini-2.5-flash", settings.Single(s => s.GetProperty("key").GetString() == "ai_model").GetProperty("value").GetString());
    }

    [Fact]
    public async Task PatchConfig_ValidChange_StoresAllInvalidatesAndShowsEffectiveValues()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var patch = await ApiRoutes.CallAsync(host, "PatchConfig",
            body: """{"min_confidence":0.7,"trade_cooldown_minutes":45,"trading_enabled":false,"ai_model":"gemini-2.5-pro"}""");
        var get = await ApiRoutes.CallAsync(host, "GetConfig");

        Assert.Equal(200, patch.Status);
        var stored = await host.Service<ISystemConfigRepository>().GetAllAsync();
        Assert.Equal(["ai_model", "min_confidence", "trade_cooldown_minutes", "trading_enabled"], stored.Select(e => e.Key));
        Assert.Equal("0.7", stored.Single(e => e.Key == "min_confidence").ValueJson);
        Assert.Equal("45", stored.Single(e => e.Key == "trade_cooldown_minutes").ValueJson);
        Assert.All(stored, e => Assert.Equal("api", e.UpdatedBy));
        var setting = get.Body.GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "min_confidence");
        Assert.Equal(0.7m, setting.GetProperty("value").GetDecimal());
        Assert.Equal(0.6m, setting.GetProperty("defaultValue").GetDecimal());
        Assert.Equal("stored", setting.GetProperty("source").GetString());
        host.SettingsProvider.Verify(p => p.InvalidateAsync(It.IsAny<CancellationToken>()), Times.Once);
        // trading_enabled went from true to false: the kill switch's trail, as for POST trading/halt.
        var killSwitch = Assert.Single(await host.Service<IRiskEventRepository>().ListAsync(10, RiskEventType.KillSwitch));
        Assert.Equal("trading halted", killSwitch.ActionTaken);
        host.Notifier.Verify(n => n.NotifyAsync(It.IsAny<string>(), NotificationSeverity.Critical, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PatchConfig_TradingEnabledUnchanged_RecordsNoKillSwitchEvent()
    {
        await using var host = await ApiTestHost.CreateAsync(database);

        var patch = await ApiRoutes.CallAsync(host, "PatchConfig", body: """{"trading_enabled":true,"stop_loss_pct":4}""");

        Assert.Equal(200, patch.Status);
        Assert.Empty(await host.Service<IRiskEventRepository>().ListAsync(10));
        host.Notifier.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PatchConfig_MinAboveStoredMax_IsRefusedAgainstTheEffectiveValues()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await ApiRoutes.CallAsync(host, "PatchConfig", body: """{"position_size_max_pct":15}""");

        var tooHigh = await ApiRoutes.CallAsync(host, "PatchConfig", body: """{"position_size_min_pct":16}""");
        var together = await ApiRoutes.CallAsync(host, "PatchConfig", body: """{"position_size_min_pct":16,"position_size_max_pct":40}""");

        Assert.Equal(400, tooHigh.Status);
        Assert.Equal(200, together.Status);
    }

    [Fact]
    public async Task GenerateSignal_SecondCallWithinFiveMinutes_Returns429WithRetryAfter()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        host.SignalRunner.Setup(r => r.RunAsync("KRW-BTC", It.IsAny<CancellationToken>())).ReturnsAsync(RunResult(host));

        var first = await ApiRoutes.CallAsync(host, "GenerateSignalNow");
        var second = await ApiRoutes.CallAsync(host, "GenerateSignalNow");
        host.Time.Advance(TimeSpan.FromMinutes(4));
        var third = await ApiRoutes.CallAsync(host, "GenerateSignalNow");
        host.Time.Advance(TimeSpan.FromSeconds(61));
        var fourth = await ApiRoutes.CallAsync(host, "GenerateSignalNow");

        Assert.Equal(200, first.Status);
        Assert.Equal(77, first.Body.GetProperty("signalId").GetInt64());
        Assert.Equal("BUY", first.Body.GetProperty("signalType").GetString());
        Assert.Equal("order started", first.Body.GetProperty("executionNote").GetString());
        Assert.Equal(429, second.Status);
        Assert.True(second.IsProblem);
        Assert.Equal("300", second.Headers.RetryAfter.ToString());
        Assert.Equal(429, third.Status);
        Assert.Equal("60", third.Headers.RetryAfter.ToString());
        Assert.Equal(200, fourth.Status);
        host.SignalRunner.Verify(r => r.RunAsync("KRW-BTC", It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.NotNull(await host.Service<ISystemConfigRepository>().GetAsync(ManualSignalCooldown.ConfigKey));
    }

    [Fact]
    public async Task GenerateSignal_CooldownSurvivesANewInstance_BecauseItIsStored()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        host.SignalRunner.Setup(r => r.RunAsync("KRW-BTC", It.IsAny<CancellationToken>())).ReturnsAsync(RunResult(host));
        await ApiRoutes.CallAsync(host, "GenerateSignalNow");

        using var otherInstance = new ManualSignalCooldown(host.Service<ISystemConfigRepository>(), host.Time);
        var wait = await otherInstance.TryStartAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(5), wait);
    }

    [Fact]
    public async Task GenerateSignal_NoRunnerRegistered_FunctionCannotBeComposed()
    {
        // A missing signal runner is a composition error, not a 503 at run time (issue #18).
        await using var host = await ApiTestHost.CreateAsync(database, withRunner: false);

        var error = Assert.Throws<InvalidOperationException>(() => host.Function<ManualSignalFunction>());

        Assert.Contains(nameof(ISignalRunner), error.Message, StringComparison.Ordinal);
        Assert.Null(await host.Service<ISystemConfigRepository>().GetAsync(ManualSignalCooldown.ConfigKey));
    }

    [Fact]
    public async Task GenerateSignal_RunnerFails_Returns502ProblemWithoutTheMessage()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        host.SignalRunner.Setup(r => r.RunAsync("KRW-BTC", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("x-goog-api-key=SECRET"));

        var response = await ApiRoutes.CallAsync(host, "GenerateSignalNow");

        Assert.Equal(502, response.Status);
        Assert.True(response.IsProblem);
        Assert.DoesNotContain("SECRET", response.Body.GetRawText(), StringComparison.Ordinal);
    }

    private static SignalRunResult RunResult(ApiTestHost host) => new(
        77,
        new SignalResult(
            "KRW-BTC", 1, SignalAction.Buy, 0.45m, 0.72m, MarketRegime.BullTrend, "{}", "technical", null, false,
            null, null, null, null, 5000, 95_000_000m, 0.8, 0.7, 444, host.Time.GetUtcNow()),
        "order started");
}
