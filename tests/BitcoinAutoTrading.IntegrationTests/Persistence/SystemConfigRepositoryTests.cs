using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class SystemConfigRepositoryTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(T0);
    private SystemConfigRepository Repository => new(db.DataSource, _time);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SetAsync_NewThenReplaced_GetReturnsLatestValue()
    {
        var first = await Repository.SetAsync("min_confidence", "0.6", "seed");
        _time.Advance(TimeSpan.FromHours(1));
        var second = await Repository.SetAsync("min_confidence", "0.65", "admin");

        Assert.Equal(new ConfigEntry("min_confidence", "0.6", T0, "seed"), first);
        Assert.Equal(new ConfigEntry("min_confidence", "0.65", T0.AddHours(1), "admin"), second);
        Assert.Equal(second, await Repository.GetAsync("min_confidence"));
        Assert.Null(await Repository.GetAsync("missing"));
    }

    [Fact]
    public async Task SetManyAsync_SeveralKeys_AllStoredAndListedByKey()
    {
        var stored = await Repository.SetManyAsync(
            new Dictionary<string, string> { ["trading_enabled"] = "true", ["ai_model"] = "\"gemini-2.5-flash\"", ["stop_loss_pct"] = "5" },
            null);

        var all = await Repository.GetAllAsync();

        Assert.Equal(["ai_model", "stop_loss_pct", "trading_enabled"], stored.Select(e => e.Key));
        Assert.Equal(stored, all);
        Assert.Equal("\"gemini-2.5-flash\"", all[0].ValueJson);
        Assert.All(all, e => Assert.Null(e.UpdatedBy));
    }

    [Fact]
    public async Task SetManyAsync_OneValueNotJson_NothingStored()
    {
        await Repository.SetAsync("stop_loss_pct", "5", "seed");

        var error = await Assert.ThrowsAsync<PostgresException>(() => Repository.SetManyAsync(
            new Dictionary<string, string> { ["stop_loss_pct"] = "7", ["take_profit_pct"] = "eight" }, "admin"));

        Assert.Equal(PostgresErrorCodes.InvalidTextRepresentation, error.SqlState);
        Assert.Equal([new ConfigEntry("stop_loss_pct", "5", T0, "seed")], await Repository.GetAllAsync());
    }
}
