using System.Text.Json;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.IntegrationTests.Persistence;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Risk;

/// <summary>The per-run settings snapshot over the real <c>system_config</c> table (SPEC §5.1, P3), counted in SQL commands.</summary>
public sealed class RiskSettingsCacheTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private int ConfigQueries(NpgsqlCommandCounter counter) =>
        counter.Commands.Count(c => c.Contains("FROM system_config", StringComparison.Ordinal));

    private string Database => new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!;

    [Fact]
    public async Task GetAsync_ManyAsksInOneRun_OneQueryReturningStoredValues_NextRunQueriesAgain()
    {
        await using var host = new RiskTestHost(db.DataSource, Now);
        await host.Get<ISystemConfigRepository>().SetManyAsync(
            new Dictionary<string, string> { ["stop_loss_pct"] = "7", ["trade_cooldown_minutes"] = "45", ["ai_model"] = "\"gemini-2.5-pro\"" }, "seed");
        var provider = host.Get<IRiskSettingsProvider>();
        using var counter = new NpgsqlCommandCounter(Database);

        RiskSettings? last = null;
        using (RiskSettingsRun.Begin())
        {
            for (var i = 0; i < 120; i++)
            {
                last = await provider.GetAsync();
            }
        }

        Assert.Equal(new RiskSettings { StopLossPct = 7m, TradeCooldownMinutes = 45, AiModel = "gemini-2.5-pro" }, last);
        Assert.Equal(1, ConfigQueries(counter));
        using (RiskSettingsRun.Begin())
        {
            await provider.GetAsync();
        }
        Assert.Equal(2, ConfigQueries(counter));
    }

    [Fact]
    public async Task PatchFlow_ValidatedAndStored_NextRunSeesChangeWithoutInvalidation()
    {
        await using var host = new RiskTestHost(db.DataSource, Now);
        var provider = host.Get<IRiskSettingsProvider>();
        RiskSettings before;
        using (RiskSettingsRun.Begin())
        {
            before = await provider.GetAsync();
        }
        var patch = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"trading_enabled": false, "min_confidence": 0.7}""")!;

        Assert.Empty(RiskSettingsValidator.Validate(patch, before));
        // Written as another instance would: nothing here is told about it.
        await host.Get<ISystemConfigRepository>().SetManyAsync(patch.ToDictionary(p => p.Key, p => p.Value.GetRawText()), "api");
        RiskSettings after;
        using (RiskSettingsRun.Begin())
        {
            after = await provider.GetAsync();
        }

        Assert.Equal(before with { TradingEnabled = false, MinConfidence = 0.7m }, after);
        Assert.False(await provider.IsTradingEnabledAsync());
    }

    [Fact]
    public async Task PatchFlow_InvalidValue_ValidatorRefusesSoNothingReachesTheRules()
    {
        await using var host = new RiskTestHost(db.DataSource, Now);
        var patch = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"stop_loss_pct": 50, "max_leverage": 3}""")!;

        var errors = RiskSettingsValidator.Validate(patch, await host.Get<IRiskSettingsProvider>().GetAsync());

        Assert.Equal(["max_leverage", "stop_loss_pct"], errors.Select(e => e.Field));
        Assert.Empty(await host.Get<ISystemConfigRepository>().GetAllAsync());
    }

    [Fact]
    public async Task GetAsync_RowWrittenOutsideTheAppOutOfRange_DefaultUsed()
    {
        await using var host = new RiskTestHost(db.DataSource, Now);
        await host.Get<ISystemConfigRepository>().SetAsync("daily_loss_limit_pct", "80", "psql");

        Assert.Equal(5m, (await host.Get<IRiskSettingsProvider>().GetAsync()).DailyLossLimitPct);
    }
}
