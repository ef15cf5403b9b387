using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class PositionRepositoryTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(T0);
    private PositionRepository Repository => new(db.DataSource, _time);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task UpsertAsync_NewThenChanged_StoresWholeRowAndStampsUpdatedAt()
    {
        var opened = new Position(Market, 0.00157704m, 95_066_071.88m, 0m, 95_066_071.88m, T0.AddMinutes(-3), default);

        var inserted = await Repository.UpsertAsync(opened);
        _time.Advance(TimeSpan.FromMinutes(10));
        var closed = await Repository.UpsertAsync(opened with { Quantity = 0m, RealizedPnlKrw = 1_234.5m, PeakPriceSinceEntry = null, OpenedAt = null });

        Assert.Equal(opened with { UpdatedAt = T0 }, inserted);
        Assert.Equal(new Position(Market, 0m, 95_066_071.88m, 1_234.5m, null, null, T0.AddMinutes(10)), closed);
        Assert.Equal(closed, await Repository.GetAsync(Market));
        Assert.Null(await Repository.GetAsync("KRW-ETH"));
    }

    [Fact]
    public async Task UpdatePeakAsync_HigherThenLowerPrice_OnlyRaisesThePeak()
    {
        await Repository.UpsertAsync(new Position(Market, 0.5m, 95_000_000m, 0m, null, T0, default));

        var first = await Repository.UpdatePeakAsync(Market, 96_000_000m);
        var lower = await Repository.UpdatePeakAsync(Market, 95_500_000m);
        var equal = await Repository.UpdatePeakAsync(Market, 96_000_000m);
        var higher = await Repository.UpdatePeakAsync(Market, 97_000_000m);

        Assert.Equal((true, false, false, true), (first, lower, equal, higher));
        Assert.Equal(97_000_000m, (await Repository.GetAsync(Market))!.PeakPriceSinceEntry);
    }

    [Fact]
    public async Task UpdatePeakAsync_FlatOrMissingPosition_ChangesNothing()
    {
        await Repository.UpsertAsync(new Position(Market, 0m, 0m, 0m, null, null, default));

        Assert.False(await Repository.UpdatePeakAsync(Market, 96_000_000m));
        Assert.False(await Repository.UpdatePeakAsync("KRW-ETH", 4_000_000m));
        Assert.Null((await Repository.GetAsync(Market))!.PeakPriceSinceEntry);
    }

    [Fact]
    public async Task UpsertAsync_NegativeQuantity_RejectedByCheckConstraint()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(
            () => Repository.UpsertAsync(new Position(Market, -0.1m, 95_000_000m, 0m, null, T0, default)));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal("ck_positions_quantity", error.ConstraintName);
    }
}
