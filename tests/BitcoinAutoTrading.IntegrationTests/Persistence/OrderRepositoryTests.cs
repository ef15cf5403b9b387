using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Npgsql;
using static BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class OrderRepositoryTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly OrderRepository _repository = new(db.DataSource);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateAsync_NewIdentifier_CreatesPendingOrderWithEveryColumn()
    {
        var signalId = await new SignalRepository(db.DataSource).InsertAsync(Signal(T0));
        var order = new NewOrder
        {
            SignalId = signalId,
            Market = Market,
            Side = OrderSide.Buy,
            OrdType = OrderType.Limit,
            RequestedVolume = 0.00123456m,
            LimitPrice = 95_000_000m,
            Identifier = "ord-limit-1",
            Reason = OrderReason.Manual,
            CreatedAt = T0.ToOffset(TimeSpan.FromHours(9)),
        };

        var creation = await _repository.CreateAsync(order);

        Assert.True(creation.Created);
        var expected = new Order
        {
            Id = creation.Order.Id,
            UserId = 1,
            SignalId = signalId,
            Market = Market,
            Side = OrderSide.Buy,
            OrdType = OrderType.Limit,
            RequestedVolume = 0.00123456m,
            LimitPrice = 95_000_000m,
            Identifier = "ord-limit-1",
            Status = OrderStatus.Pending,
            Reason = OrderReason.Manual,
            CreatedAt = T0,
        };
        Assert.Equal(expected, creation.Order);
        Assert.Equal(expected, await _repository.GetByIdAsync(creation.Order.Id));
        Assert.Equal(expected, await _repository.GetByIdentifierAsync("ord-limit-1"));
        Assert.Null(await _repository.GetByIdAsync(creation.Order.Id + 1));
        Assert.Null(await _repository.GetByIdentifierAsync("ord-unknown"));
    }

    [Fact]
    public async Task CreateAsync_SameIdentifierTwice_ReturnsExistingAndCreatesNothing()
    {
        var first = await _repository.CreateAsync(MarketBuy("ord-1", T0));

        var second = await _repository.CreateAsync(MarketBuy("ord-1", T0.AddSeconds(5)) with { RequestedKrw = 999_999m });

        Assert.False(second.Created);
        Assert.Equal(first.Order, second.Order);
        Assert.Equal(1L, await CountOrdersAsync());
    }

    [Fact]
    public async Task CreateAsync_ConcurrentCallsWithSameIdentifier_ExactlyOneCreates()
    {
        // Several rounds, because the interesting interleavings (both past the identifier check) are rare.
        const int rounds = 20;
        for (var round = 0; round < rounds; round++)
        {
            var identifier = $"ord-race-{round}";
            var results = await Task.WhenAll(Enumerable.Range(0, 8)
                .Select(_ => Task.Run(() => _repository.CreateAsync(MarketBuy(identifier, T0)))));

            Assert.Single(results, r => r.Created);
            Assert.Single(results.Select(r => r.Order.Id).Distinct());
            await _repository.RecordResultAsync(results[0].Order.Id, OrderStatus.Cancelled, 0m, 0m, null, 0m, null, T0);
        }
        Assert.Equal(rounds, await CountOrdersAsync());
    }

    [Fact]
    public async Task CreateAsync_SecondActiveOrderForMarket_RejectedByPartialUniqueIndex()
    {
        await _repository.CreateAsync(MarketBuy("ord-1", T0));

        var error = await Assert.ThrowsAsync<PostgresException>(() => _repository.CreateAsync(MarketSell("ord-2", T0, 0.5m)));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("uq_orders_one_active_per_market", error.ConstraintName);
        // Another market is independent.
        Assert.True((await _repository.CreateAsync(MarketBuy("ord-3", T0, "KRW-ETH"))).Created);
    }

    [Fact]
    public async Task CreateAsync_PreviousOrderFinished_NextOrderForMarketAllowed()
    {
        var first = await _repository.CreateAsync(MarketBuy("ord-1", T0));
        await _repository.RecordResultAsync(first.Order.Id, OrderStatus.Failed, 0m, 0m, null, 0m, "insufficient_funds_bid", T0.AddSeconds(1));

        var second = await _repository.CreateAsync(MarketBuy("ord-2", T0.AddMinutes(1)));

        Assert.True(second.Created);
        Assert.Equal(second.Order, await _repository.GetActiveAsync(Market));
    }

    [Fact]
    public async Task MarkSubmittedAsync_Pending_MovesToSubmittedOnceAndIsIdempotentForSameUuid()
    {
        var order = (await _repository.CreateAsync(MarketBuy("ord-1", T0))).Order;

        var applied = await _repository.MarkSubmittedAsync(order.Id, "uuid-1", T0.AddSeconds(1));
        var repeated = await _repository.MarkSubmittedAsync(order.Id, "uuid-1", T0.AddSeconds(9));
        var otherUuid = await _repository.MarkSubmittedAsync(order.Id, "uuid-2", T0.AddSeconds(9));
        var missing = await _repository.MarkSubmittedAsync(order.Id + 1, "uuid-3", T0);

        Assert.Equal(OrderUpdateOutcome.Applied, applied);
        Assert.Equal(OrderUpdateOutcome.AlreadyApplied, repeated);
        Assert.Equal(OrderUpdateOutcome.Rejected, otherUuid);
        Assert.Equal(OrderUpdateOutcome.NotFound, missing);
        var stored = await _repository.GetByIdAsync(order.Id);
        Assert.Equal((OrderStatus.Submitted, "uuid-1", T0.AddSeconds(1)), (stored!.Status, stored.ExchangeUuid, stored.SubmittedAt));
    }

    [Fact]
    public async Task MarkSubmittedAsync_FailedBeforeSubmission_Rejected()
    {
        var order = (await _repository.CreateAsync(MarketBuy("ord-1", T0))).Order;
        await _repository.RecordResultAsync(order.Id, OrderStatus.Failed, 0m, 0m, null, 0m, "under_min_total_bid", T0);

        Assert.Equal(OrderUpdateOutcome.Rejected, await _repository.MarkSubmittedAsync(order.Id, "uuid-1", T0));
        Assert.Equal(OrderStatus.Failed, (await _repository.GetByIdAsync(order.Id))!.Status);
    }

    [Fact]
    public async Task MarkSubmittedAsync_UuidOfAnotherOrder_RejectedByUniqueConstraint()
    {
        var first = (await _repository.CreateAsync(MarketBuy("ord-1", T0))).Order;
        var second = (await _repository.CreateAsync(MarketBuy("ord-2", T0, "KRW-ETH"))).Order;
        await _repository.MarkSubmittedAsync(first.Id, "uuid-1", T0);

        var error = await Assert.ThrowsAsync<PostgresException>(() => _repository.MarkSubmittedAsync(second.Id, "uuid-1", T0));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("uq_orders_exchange_uuid", error.ConstraintName);
    }

    [Fact]
    public async Task RecordResultAsync_SubmittedOrder_RecordsFillOnceAndRepeatIsNoOp()
    {
        var order = (await _repository.CreateAsync(MarketBuy("ord-1", T0))).Order;
        await _repository.MarkSubmittedAsync(order.Id, "uuid-1", T0.AddSeconds(1));
        var finishedAt = T0.AddSeconds(3);

        var applied = await _repository.RecordResultAsync(order.Id, OrderStatus.Executed, 0.00157704m, 149_925m, 95_066_071.88m, 74.9625m, null, finishedAt);
        // Extra digits beyond the column's 8 decimals are what would have been stored: still the same result.
        var repeated = await _repository.RecordResultAsync(order.Id, OrderStatus.Executed, 0.001577040001m, 149_925m, 95_066_071.88m, 74.9625m, null, finishedAt.AddMinutes(1));
        var conflicting = await _repository.RecordResultAsync(order.Id, OrderStatus.Cancelled, 0m, 0m, null, 0m, null, finishedAt);
        var missing = await _repository.RecordResultAsync(order.Id + 1, OrderStatus.Cancelled, 0m, 0m, null, 0m, null, finishedAt);

        Assert.Equal(OrderUpdateOutcome.Applied, applied);
        Assert.Equal(OrderUpdateOutcome.AlreadyApplied, repeated);
        Assert.Equal(OrderUpdateOutcome.Rejected, conflicting);
        Assert.Equal(OrderUpdateOutcome.NotFound, missing);
        var stored = await _repository.GetByIdAsync(order.Id);
        Assert.Equal(
            (OrderStatus.Executed, 0.00157704m, 149_925m, (decimal?)95_066_071.88m, 74.9625m, (string?)null, (DateTimeOffset?)finishedAt),
            (stored!.Status, stored.ExecutedVolume, stored.ExecutedFundsKrw, stored.AvgPrice, stored.PaidFee, stored.Error, stored.FinishedAt));
        Assert.Null(await _repository.GetActiveAsync(Market));
    }

    [Fact]
    public async Task RecordResultAsync_NonFinalStatus_Throws()
    {
        var order = (await _repository.CreateAsync(MarketBuy("ord-1", T0))).Order;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => _repository.RecordResultAsync(order.Id, OrderStatus.Submitted, 0m, 0m, null, 0m, null, T0));
    }

    [Fact]
    public async Task ListAsync_StatusAndPaging_NewestFirstWithoutGapsOrRepeats()
    {
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            var order = (await _repository.CreateAsync(MarketBuy($"ord-{i}", T0.AddMinutes(i)))).Order;
            await _repository.RecordResultAsync(order.Id, i % 2 == 0 ? OrderStatus.Executed : OrderStatus.Cancelled, 0m, 0m, null, 0m, null, T0.AddMinutes(i));
            ids.Add(order.Id);
        }
        var pending = (await _repository.CreateAsync(MarketBuy("ord-pending", T0.AddMinutes(10)))).Order;

        var page1 = await _repository.ListAsync(null, 3);
        var page2 = await _repository.ListAsync(null, 3, page1[^1].Id);
        var page3 = await _repository.ListAsync(null, 3, page2[^1].Id);
        var executed = await _repository.ListAsync(OrderStatus.Executed, 10);
        var executedAfterFirst = await _repository.ListAsync(OrderStatus.Executed, 10, executed[0].Id);

        Assert.Equal(ids.AsEnumerable().Reverse().Prepend(pending.Id), page1.Concat(page2).Concat(page3).Select(o => o.Id));
        Assert.Equal([ids[6], ids[4], ids[2], ids[0]], executed.Select(o => o.Id));
        Assert.Equal([ids[4], ids[2], ids[0]], executedAfterFirst.Select(o => o.Id));
    }

    [Fact]
    public async Task GetActiveAsync_PendingOrSubmitted_FoundPerMarket()
    {
        var btc = (await _repository.CreateAsync(MarketBuy("ord-1", T0))).Order;
        var eth = (await _repository.CreateAsync(MarketBuy("ord-2", T0, "KRW-ETH"))).Order;
        await _repository.MarkSubmittedAsync(eth.Id, "uuid-eth", T0);

        Assert.Equal(btc.Id, (await _repository.GetActiveAsync(Market))!.Id);
        Assert.Equal(OrderStatus.Submitted, (await _repository.GetActiveAsync("KRW-ETH"))!.Status);
        Assert.Null(await _repository.GetActiveAsync("KRW-XRP"));
    }

    [Fact]
    public async Task ListStaleNonTerminalAsync_OlderThan_ListsOnlyOldUnfinishedOrders()
    {
        var oldPending = (await _repository.CreateAsync(MarketBuy("ord-1", T0))).Order;
        var oldSubmitted = (await _repository.CreateAsync(MarketBuy("ord-2", T0.AddMinutes(1), "KRW-ETH"))).Order;
        await _repository.MarkSubmittedAsync(oldSubmitted.Id, "uuid-2", T0.AddMinutes(1));
        var oldDone = (await _repository.CreateAsync(MarketBuy("ord-3", T0, "KRW-XRP"))).Order;
        await _repository.RecordResultAsync(oldDone.Id, OrderStatus.Cancelled, 0m, 0m, null, 0m, null, T0);
        await _repository.CreateAsync(MarketBuy("ord-4", T0.AddMinutes(30), "KRW-SOL"));

        var stale = await _repository.ListStaleNonTerminalAsync(T0.AddMinutes(10));

        Assert.Equal([oldPending.Id, oldSubmitted.Id], stale.Select(o => o.Id));
    }

    [Fact]
    public async Task GetLatestAsync_SeveralOrders_ReturnsNewestOrNullWhenNone()
    {
        Assert.Null(await _repository.GetLatestAsync());
        await _repository.CreateAsync(MarketBuy("ord-1", T0.AddMinutes(5)));
        var newest = (await _repository.CreateAsync(MarketBuy("ord-2", T0.AddMinutes(6), "KRW-ETH"))).Order;
        await _repository.CreateAsync(MarketBuy("ord-3", T0, "KRW-XRP"));

        Assert.Equal(newest.Id, (await _repository.GetLatestAsync())!.Id);
    }

    [Fact]
    public async Task CountAsync_MixedOrders_CountsOrdersOfTheUserInTheStatus()
    {
        var a = (await _repository.CreateAsync(MarketBuy("ord-1", T0))).Order;
        await _repository.RecordResultAsync(a.Id, OrderStatus.Executed, 1m, 1m, 1m, 0m, null, T0);
        var b = (await _repository.CreateAsync(MarketBuy("ord-2", T0))).Order;
        await _repository.RecordResultAsync(b.Id, OrderStatus.Executed, 1m, 1m, 1m, 0m, null, T0);
        await _repository.CreateAsync(MarketBuy("ord-3", T0));
        await _repository.CreateAsync(MarketBuy("ord-4", T0, "KRW-ETH") with { UserId = 2 });

        Assert.Equal(2L, await _repository.CountAsync(OrderStatus.Executed));
        Assert.Equal(1L, await _repository.CountAsync(OrderStatus.Pending));
        Assert.Equal(0L, await _repository.CountAsync(OrderStatus.Failed));
        Assert.Equal(3L, await _repository.CountAsync(null));
        Assert.Equal(1L, await _repository.CountAsync(null, userId: 2));
    }

    [Fact]
    public async Task CreateAsync_MarketBuyWithoutKrw_RejectedByShapeConstraint()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(
            () => _repository.CreateAsync(MarketBuy("ord-1", T0) with { RequestedKrw = null, RequestedVolume = 0.1m }));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal("ck_orders_shape", error.ConstraintName);
    }

    [Fact]
    public async Task Insert_DuplicateIdentifierWithoutRepository_RejectedByUniqueConstraint()
    {
        await _repository.CreateAsync(MarketBuy("ord-1", T0));
        await using var command = db.DataSource.CreateCommand("""
            INSERT INTO orders (market, side, ord_type, requested_krw, identifier, reason)
            VALUES ('KRW-ETH', 'BUY', 'price', 10000, 'ord-1', 'manual')
            """);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("uq_orders_identifier", error.ConstraintName);
    }

    [Theory]
    [InlineData(OrderReason.Signal)]
    [InlineData(OrderReason.StopLoss)]
    [InlineData(OrderReason.TakeProfit)]
    [InlineData(OrderReason.TrailingStop)]
    [InlineData(OrderReason.Manual)]
    public async Task CreateAsync_EveryReason_AcceptedBySchemaAndReadBack(OrderReason reason)
    {
        var created = await _repository.CreateAsync(MarketSell($"ord-{reason}", T0, 0.1m) with { Reason = reason });

        Assert.Equal(reason, (await _repository.GetByIdAsync(created.Order.Id))!.Reason);
    }

    private async Task<long> CountOrdersAsync()
    {
        await using var command = db.DataSource.CreateCommand("SELECT count(*) FROM orders");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
