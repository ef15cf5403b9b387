using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using static BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class RiskEventRepositoryTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly RiskEventRepository _repository = new(db.DataSource);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task InsertAsync_FullEvent_ListReturnsEveryColumn()
    {
        var signalId = await new SignalRepository(db.DataSource).InsertAsync(Signal(T0));
        var orderId = (await new OrderRepository(db.DataSource).CreateAsync(MarketSell("ord-1", T0, 0.5m))).Order.Id;

        var id = await _repository.InsertAsync(new NewRiskEvent
        {
            Type = RiskEventType.StopLoss,
            OrderId = orderId,
            SignalId = signalId,
            TriggerValue = -5.12m,
            ThresholdValue = -5m,
            ActionTaken = "sell started",
            DetailsJson = """{"price": 90150000}""",
            CreatedAt = T0.ToOffset(TimeSpan.FromHours(9)),
        });

        var listed = Assert.Single(await _repository.ListAsync(10));
        Assert.Equal(
            new RiskEvent(id, RiskEventType.StopLoss, orderId, signalId, -5.12m, -5m, "sell started", """{"price": 90150000}""", T0, false),
            listed);
    }

    [Fact]
    public async Task ListAsync_TypeAndPaging_NewestFirst()
    {
        var types = new[] { RiskEventType.LowConfidence, RiskEventType.Cooldown, RiskEventType.LowConfidence, RiskEventType.KillSwitch, RiskEventType.LowConfidence };
        var ids = new List<long>();
        for (var i = 0; i < types.Length; i++)
        {
            ids.Add(await _repository.InsertAsync(new NewRiskEvent { Type = types[i], ActionTaken = "entry refused", CreatedAt = T0.AddMinutes(i) }));
        }

        var page1 = await _repository.ListAsync(2);
        var page2 = await _repository.ListAsync(2, beforeId: page1[^1].Id);
        var page3 = await _repository.ListAsync(2, beforeId: page2[^1].Id);
        var lowConfidence = await _repository.ListAsync(10, RiskEventType.LowConfidence);
        var olderLowConfidence = await _repository.ListAsync(10, RiskEventType.LowConfidence, lowConfidence[0].Id);

        Assert.Equal(ids.AsEnumerable().Reverse(), page1.Concat(page2).Concat(page3).Select(e => e.Id));
        Assert.Equal([ids[4], ids[2], ids[0]], lowConfidence.Select(e => e.Id));
        Assert.Equal([ids[2], ids[0]], olderLowConfidence.Select(e => e.Id));
        Assert.All(page1, e => Assert.Null(e.DetailsJson));
    }

    [Fact]
    public async Task InsertAsync_EveryEventType_AcceptedBySchemaAndReadBack()
    {
        var types = Enum.GetValues<RiskEventType>();
        for (var i = 0; i < types.Length; i++)
        {
            await _repository.InsertAsync(new NewRiskEvent { Type = types[i], ActionTaken = "recorded", CreatedAt = T0.AddMinutes(i) });
        }

        var listed = await _repository.ListAsync(100);

        Assert.Equal(types.Reverse(), listed.Select(e => e.Type));
    }

    [Fact]
    public async Task MarkNotifiedAsync_ExistingAndMissing_SetsFlagOrReturnsFalse()
    {
        var id = await _repository.InsertAsync(new NewRiskEvent { Type = RiskEventType.DailyLimit, ActionTaken = "halted", CreatedAt = T0 });

        Assert.True(await _repository.MarkNotifiedAsync(id));
        Assert.False(await _repository.MarkNotifiedAsync(id + 1));
        Assert.True(Assert.Single(await _repository.ListAsync(1)).Notified);
    }
}
