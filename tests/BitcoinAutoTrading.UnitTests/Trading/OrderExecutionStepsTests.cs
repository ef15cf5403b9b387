using System.Data.Common;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.UnitTests.Trading;

/// <summary>
/// The order steps over mocked stores and exchange: what each step sends, stores and returns, and that a repeat never
/// sends or applies twice. The orchestration around them is covered by the integration tests.
/// </summary>
public sealed class OrderExecutionStepsTests
{
    private const string Market = "KRW-BTC";
    private const long OrderId = 42;

    /// <summary>12:00 KST on 2026-03-10.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly Mock<IOrderRepository> _orders = new(MockBehavior.Strict);
    private readonly Mock<IDailyStatsRepository> _dailyStats = new(MockBehavior.Strict);
    private readonly Mock<IExchange> _exchange = new(MockBehavior.Strict);
    private readonly Mock<ITradeLedger> _ledger = new(MockBehavior.Strict);
    private readonly Mock<IDailyLossGuard> _guard = new();
    private readonly Mock<IRiskEventRepository> _riskEvents = new();
    private readonly Mock<INotifier> _notifier = new();

    // ---- CreateOrderRecord ----

    [Fact]
    public async Task CreateOrderRecordAsync_Instruction_StoresEveryFieldAsPendingAndReturnsId()
    {
        NewOrder? stored = null;
        _orders.Setup(o => o.CreateAsync(It.IsAny<NewOrder>(), It.IsAny<CancellationToken>()))
            .Callback((NewOrder n, CancellationToken _) => stored = n)
            .ReturnsAsync(new OrderCreation(Stored(OrderStatus.Pending), true));
        var instruction = new OrderInstruction(Market, OrderSide.Buy, OrderType.Limit, OrderReason.Manual,
            Krw: 1m, Volume: 0.002m, LimitPrice: 95_000_000m, SignalId: 9);

        var id = await Steps().CreateOrderRecordAsync(new CreateOrderRecordInput(instruction, "bat-x"));

        Assert.Equal(OrderId, id);
        Assert.Equal(new NewOrder
        {
            SignalId = 9,
            Market = Market,
            Side = OrderSide.Buy,
            OrdType = OrderType.Limit,
            RequestedKrw = 1m,
            RequestedVolume = 0.002m,
            LimitPrice = 95_000_000m,
            Identifier = "bat-x",
            Reason = OrderReason.Manual,
            CreatedAt = Now,
        }, stored);
    }

    [Fact]
    public async Task CreateOrderRecordAsync_OneActivePerMarketViolated_ThrowsOrderAlreadyInFlight()
    {
        _orders.Setup(o => o.CreateAsync(It.IsAny<NewOrder>(), It.IsAny<CancellationToken>())).ThrowsAsync(new FakeDbException("23505"));

        var error = await Assert.ThrowsAsync<OrderAlreadyInFlightException>(() => Steps().CreateOrderRecordAsync(CreateInput()));

        Assert.Contains(Market, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateOrderRecordAsync_OtherDatabaseError_Propagates()
    {
        _orders.Setup(o => o.CreateAsync(It.IsAny<NewOrder>(), It.IsAny<CancellationToken>())).ThrowsAsync(new FakeDbException("40001"));

        await Assert.ThrowsAsync<FakeDbException>(() => Steps().CreateOrderRecordAsync(CreateInput()));
    }

    [Fact]
    public async Task CreateOrderRecordAsync_NullInput_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Steps().CreateOrderRecordAsync(null!));

    // ---- SubmitOrder ----

    [Fact]
    public async Task SubmitOrderAsync_UuidAlreadyStored_OkWithoutAskingTheExchange()
    {
        Load(Stored(OrderStatus.Submitted) with { ExchangeUuid = "u-1" });

        var result = await Steps().SubmitOrderAsync(OrderId);

        Assert.Equal(SubmitOrderResult.Ok("u-1"), result);
        _exchange.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("reconciled: not placed", "reconciled: not placed")]
    [InlineData(null, "order already FAILED")]
    public async Task SubmitOrderAsync_FinishedWithoutUuid_RejectedAndNeverPlaced(string? storedError, string expected)
    {
        Load(Stored(OrderStatus.Failed) with { Error = storedError });

        var result = await Steps().SubmitOrderAsync(OrderId);

        Assert.Equal(SubmitOrderResult.Rejected(expected), result);
        _exchange.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task SubmitOrderAsync_ExchangeKnowsIdentifier_StoresTheUuidPlaceOrderReturnsWithoutOwnLookup()
    {
        // A previous run placed it and lost the answer. The identifier lookup before the POST is the exchange's
        // (IExchange.PlaceOrderAsync contract, one lookup in UpbitExchange): it hands back the order it found, and the
        // step must store that uuid without a second lookup of its own (the strict mock has no identifier setup).
        Load(Stored(OrderStatus.Pending));
        _exchange.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Placed("u-2", ExchangeOrderState.Open));
        MarkSubmitted("u-2", OrderUpdateOutcome.Applied);

        var result = await Steps().SubmitOrderAsync(OrderId);

        Assert.Equal(SubmitOrderResult.Ok("u-2"), result);
        _exchange.Verify(e => e.PlaceOrderAsync(It.Is<OrderRequest>(r => r.Identifier == "bat-42"), It.IsAny<CancellationToken>()), Times.Once);
        _exchange.VerifyNoOtherCalls();
        _orders.Verify(o => o.MarkSubmittedAsync(OrderId, "u-2", Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    public static TheoryData<OrderType, OrderRequest> RequestShapes => new()
    {
        { OrderType.Price, new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "bat-42", Price: 100_000m) },
        { OrderType.Market, new OrderRequest(Market, OrderSide.Buy, OrderType.Market, "bat-42", Volume: 0.002m) },
        { OrderType.Limit, new OrderRequest(Market, OrderSide.Buy, OrderType.Limit, "bat-42", Volume: 0.002m, Price: 95_000_000m) },
    };

    [Theory]
    [MemberData(nameof(RequestShapes))]
    public async Task SubmitOrderAsync_NotYetPlaced_PlacesTheShapeItsTypeNeedsAndStoresUuid(OrderType type, OrderRequest expected)
    {
        Load(Stored(OrderStatus.Pending) with
        {
            OrdType = type,
            RequestedKrw = 100_000m,
            RequestedVolume = 0.002m,
            LimitPrice = 95_000_000m,
        });
        NotAtExchange();
        OrderRequest? sent = null;
        _exchange.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()))
            .Callback((OrderRequest r, CancellationToken _) => sent = r)
            .ReturnsAsync(Placed("u-3", ExchangeOrderState.Open));
        MarkSubmitted("u-3", OrderUpdateOutcome.Applied);

        var result = await Steps().SubmitOrderAsync(OrderId);

        Assert.Equal(SubmitOrderResult.Ok("u-3"), result);
        Assert.Equal(expected, sent);
    }

    [Fact]
    public async Task SubmitOrderAsync_ExchangeRefuses_RejectedWithItsErrorNameAndNothingStored()
    {
        Load(Stored(OrderStatus.Pending));
        NotAtExchange();
        _exchange.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeRejectedException(400, "insufficient_funds_bid", "not enough KRW"));

        var result = await Steps().SubmitOrderAsync(OrderId);

        Assert.Equal(SubmitOrderResult.Rejected("insufficient_funds_bid"), result);
        _orders.Verify(o => o.MarkSubmittedAsync(It.IsAny<long>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SubmitOrderAsync_OrderBreaksExchangeRule_RejectedAsInvalidOrder()
    {
        Load(Stored(OrderStatus.Pending));
        NotAtExchange();
        _exchange.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OrderValidationException("under 5000 KRW"));

        var result = await Steps().SubmitOrderAsync(OrderId);

        Assert.Equal(SubmitOrderResult.Rejected("invalid_order: under 5000 KRW"), result);
    }

    [Fact]
    public async Task SubmitOrderAsync_ExchangeUnavailable_PropagatesForTheRetry()
    {
        Load(Stored(OrderStatus.Pending));
        NotAtExchange();
        _exchange.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeUnavailableException("timeout"));

        await Assert.ThrowsAsync<ExchangeUnavailableException>(() => Steps().SubmitOrderAsync(OrderId));
    }

    [Fact]
    public async Task SubmitOrderAsync_RecordLeftPendingMeanwhile_StillOkWithExchangeUuid()
    {
        Load(Stored(OrderStatus.Pending));
        NotAtExchange();
        _exchange.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Placed("u-4", ExchangeOrderState.Open));
        MarkSubmitted("u-4", OrderUpdateOutcome.Rejected);

        Assert.Equal(SubmitOrderResult.Ok("u-4"), await Steps().SubmitOrderAsync(OrderId));
    }

    [Fact]
    public async Task SubmitOrderAsync_RecordVanishedWhileStoringUuid_Throws()
    {
        Load(Stored(OrderStatus.Pending));
        NotAtExchange();
        _exchange.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Placed("u-5", ExchangeOrderState.Open));
        MarkSubmitted("u-5", OrderUpdateOutcome.NotFound);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Steps().SubmitOrderAsync(OrderId));
    }

    [Fact]
    public async Task SubmitOrderAsync_UnknownOrder_Throws()
    {
        _orders.Setup(o => o.GetByIdAsync(OrderId, It.IsAny<CancellationToken>())).ReturnsAsync((Order?)null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Steps().SubmitOrderAsync(OrderId));

        Assert.Contains("42", error.Message, StringComparison.Ordinal);
    }

    // ---- GetOrderState ----

    [Theory]
    [InlineData("rejected: insufficient_funds_bid", "rejected: insufficient_funds_bid")]
    [InlineData(null, "order_not_found: the exchange has no order with this identifier")]
    public async Task GetOrderStateAsync_ExchangeHasNoOrder_NotFoundWithStoredOrDefaultError(string? storedError, string expected)
    {
        Load(Stored(OrderStatus.Pending) with { Error = storedError });
        NotAtExchange();

        var state = await Steps().GetOrderStateAsync(OrderId);

        Assert.Equal(OrderStateSnapshot.NotFound(expected), state);
    }

    [Fact]
    public async Task GetOrderStateAsync_FoundByIdentifierWhileOpen_StoresUuidAndReportsFills()
    {
        // A real partial cancel of the 100,000 KRW buy: 60,000 KRW left is far above dust, so it is no dust ending.
        Load(Stored(OrderStatus.Pending));
        _exchange.Setup(e => e.GetOrderByIdentifierAsync("bat-42", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Placed("u-6", ExchangeOrderState.Cancelled, volume: 0.0004m, funds: 40_000m, fee: 20m));
        MarkSubmitted("u-6", OrderUpdateOutcome.Applied);

        var state = await Steps().GetOrderStateAsync(OrderId);

        Assert.Equal(new OrderStateSnapshot(true, true, true, 0.0004m, 40_000m, 20m), state);
        _orders.Verify(o => o.MarkSubmittedAsync(OrderId, "u-6", Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(100_000, true)]   // all spent: Upbit ends a market buy as cancel
    [InlineData(95_001, true)]    // 4,999 KRW left: under the minimum order, only dust
    [InlineData(95_000, false)]   // 5,000 KRW left: the minimum order, a real partial cancel
    public async Task GetOrderStateAsync_CancelledMarketBuy_ReportsWhetherOnlyDustWasLeft(int funds, bool onlyDust)
    {
        Load(Stored(OrderStatus.Pending));
        _exchange.Setup(e => e.GetOrderByIdentifierAsync("bat-42", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Placed("u-6", ExchangeOrderState.Cancelled, volume: 0.001m, funds: funds, fee: 50m));
        MarkSubmitted("u-6", OrderUpdateOutcome.Applied);

        var state = await Steps().GetOrderStateAsync(OrderId);

        Assert.Equal(new OrderStateSnapshot(true, true, true, 0.001m, funds, 50m, EndedWithOnlyDust: onlyDust), state);
    }

    [Fact]
    public async Task GetOrderStateAsync_UuidStored_AsksByUuidAndStoresNothing()
    {
        Load(Stored(OrderStatus.Submitted) with { ExchangeUuid = "u-7" });
        _exchange.Setup(e => e.GetOrderByUuidAsync("u-7", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Placed("u-7", ExchangeOrderState.Open));

        var state = await Steps().GetOrderStateAsync(OrderId);

        Assert.Equal(new OrderStateSnapshot(true, false, false, 0m, 0m, 0m), state);
    }

    [Fact]
    public async Task GetOrderStateAsync_RecordAlreadyFinal_UuidNotStoredAgain()
    {
        Load(Stored(OrderStatus.Executed));
        _exchange.Setup(e => e.GetOrderByIdentifierAsync("bat-42", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Placed("u-8", ExchangeOrderState.Done, volume: 0.001m, funds: 100_000m, fee: 50m));

        var state = await Steps().GetOrderStateAsync(OrderId);

        Assert.Equal(new OrderStateSnapshot(true, true, false, 0.001m, 100_000m, 50m), state);
    }

    // ---- CancelOrder ----

    [Fact]
    public async Task CancelOrderAsync_OpenAtExchange_CancelsIt()
    {
        Load(Stored(OrderStatus.Submitted) with { ExchangeUuid = "u-9" });
        _exchange.Setup(e => e.GetOrderByUuidAsync("u-9", It.IsAny<CancellationToken>())).ReturnsAsync(Placed("u-9", ExchangeOrderState.Open));
        _exchange.Setup(e => e.CancelOrderAsync("u-9", It.IsAny<CancellationToken>())).ReturnsAsync(Placed("u-9", ExchangeOrderState.Cancelled));

        await Steps().CancelOrderAsync(OrderId);

        _exchange.Verify(e => e.CancelOrderAsync("u-9", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancelOrderAsync_NeverPlacedOrAlreadyFinal_SendsNoCancel(bool placed)
    {
        Load(Stored(OrderStatus.Pending));
        _exchange.Setup(e => e.GetOrderByIdentifierAsync("bat-42", It.IsAny<CancellationToken>()))
            .ReturnsAsync(placed ? Placed("u-10", ExchangeOrderState.Done) : null);

        await Steps().CancelOrderAsync(OrderId);

        _exchange.Verify(e => e.CancelOrderAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(ExchangeOrderState.Done)]
    [InlineData(null)]
    public async Task CancelOrderAsync_RefusedBecauseItFinishedMeanwhile_Succeeds(ExchangeOrderState? after)
    {
        CancelRefused(after);

        await Steps().CancelOrderAsync(OrderId);

        _exchange.Verify(e => e.GetOrderByUuidAsync("u-11", It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task CancelOrderAsync_RefusedAndStillOpen_Throws()
    {
        CancelRefused(ExchangeOrderState.Open);

        await Assert.ThrowsAsync<ExchangeRejectedException>(() => Steps().CancelOrderAsync(OrderId));
    }

    // ---- RecordOrderResult ----

    [Fact]
    public async Task RecordOrderResultAsync_StillOpen_ThrowsAndRecordsNothing()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Steps().RecordOrderResultAsync(
            new RecordOrderResultInput(OrderId, new OrderStateSnapshot(true, false, false, 0.001m, 100_000m, 50m))));

        _orders.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RecordOrderResultAsync_Filled_RecordsExecutedWithAveragePriceRoundedAndNoError()
    {
        Load(Stored(OrderStatus.Submitted));
        RecordResult(OrderUpdateOutcome.Applied);

        await Steps().RecordOrderResultAsync(new RecordOrderResultInput(OrderId,
            new OrderStateSnapshot(true, true, false, 0.003m, 100_000m, 50m, Error: "ignored for a fill")));

        // 100,000 / 0.003 = 33,333,333.333… kept to 8 decimals.
        _orders.Verify(o => o.RecordResultAsync(OrderId, OrderStatus.Executed, 0.003m, 100_000m, 33_333_333.33333333m, 50m, null,
            Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RecordOrderResultAsync_CancelledWithoutFill_NoAveragePrice()
    {
        Load(Stored(OrderStatus.Submitted));
        RecordResult(OrderUpdateOutcome.AlreadyApplied);

        await Steps().RecordOrderResultAsync(new RecordOrderResultInput(OrderId, new OrderStateSnapshot(true, true, true, 0m, 0m, 0m)));

        _orders.Verify(o => o.RecordResultAsync(OrderId, OrderStatus.Cancelled, 0m, 0m, null, 0m, null,
            Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RecordOrderResultAsync_NeverReachedExchange_RecordsFailedWithError()
    {
        Load(Stored(OrderStatus.Pending));
        RecordResult(OrderUpdateOutcome.Rejected);

        await Steps().RecordOrderResultAsync(new RecordOrderResultInput(OrderId, OrderStateSnapshot.NotFound("order_not_found")));

        _orders.Verify(o => o.RecordResultAsync(OrderId, OrderStatus.Failed, 0m, 0m, null, 0m, "order_not_found",
            Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RecordOrderResultAsync_RecordVanished_Throws()
    {
        Load(Stored(OrderStatus.Submitted));
        RecordResult(OrderUpdateOutcome.NotFound);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Steps().RecordOrderResultAsync(
            new RecordOrderResultInput(OrderId, new OrderStateSnapshot(true, true, false, 0.001m, 100_000m, 50m))));
    }

    [Fact]
    public async Task RecordOrderResultAsync_NullInput_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Steps().RecordOrderResultAsync(null!));

    // ---- ApplyFillToPosition ----

    [Fact]
    public async Task ApplyFillToPositionAsync_AlreadyApplied_FalseAndLedgerUntouched()
    {
        Load(Filled(OrderSide.Sell) with { PositionAppliedAt = Now.AddMinutes(-1) });

        Assert.False(await Steps().ApplyFillToPositionAsync(OrderId));
        _ledger.VerifyNoOtherCalls();
        _guard.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ApplyFillToPositionAsync_NoFill_FalseAndLedgerUntouched()
    {
        Load(Stored(OrderStatus.Cancelled));

        Assert.False(await Steps().ApplyFillToPositionAsync(OrderId));
        _ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ApplyFillToPositionAsync_FillNotFinalYet_Throws()
    {
        Load(Filled(OrderSide.Buy) with { Status = OrderStatus.Submitted });

        await Assert.ThrowsAsync<InvalidOperationException>(() => Steps().ApplyFillToPositionAsync(OrderId));
        _ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ApplyFillToPositionAsync_FinishedAt235959Kst_CountedOnThatDayNotWhenApplied()
    {
        // Finished one second before midnight KST, applied after it: the fill belongs to the day it happened.
        var finished = new DateTimeOffset(2026, 3, 10, 14, 59, 59, TimeSpan.Zero);
        _clock.SetUtcNow(finished.AddSeconds(30));
        Load(Filled(OrderSide.Buy) with { FinishedAt = finished });
        Day(new DateOnly(2026, 3, 10), startingEquity: 1_000_000m);
        Ledger(finished, 1_000_000m);

        Assert.True(await Steps().ApplyFillToPositionAsync(OrderId));
        _ledger.Verify(l => l.ApplyFillAsync(OrderId, finished, 1_000_000m, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ApplyFillToPositionAsync_NoFinishTimeStored_CountedNow()
    {
        Load(Filled(OrderSide.Buy) with { FinishedAt = null });
        Day(new DateOnly(2026, 3, 10), startingEquity: 1_000_000m);
        Ledger(Now, 1_000_000m);

        Assert.True(await Steps().ApplyFillToPositionAsync(OrderId));
    }

    [Fact]
    public async Task ApplyFillToPositionAsync_NewDay_OpensItWithCashPlusCoinAtTicker()
    {
        Load(Filled(OrderSide.Buy));
        Day(new DateOnly(2026, 3, 10), startingEquity: null);
        _exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new Balance("KRW", 500_000m, 100_000m, 0m),
            new Balance("BTC", 0.001m, 0.002m, 90_000_000m),
            new Balance("ETH", 10m, 0m, 3_000_000m),
        ]);
        _exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(Market, 100_000_000.123456789m, Now));
        // 600,000 + 0.003 × 100,000,000.123456789 = 900,000.000370370367 → 8 decimals.
        Ledger(Now, 900_000.00037037m);

        Assert.True(await Steps().ApplyFillToPositionAsync(OrderId));
    }

    [Fact]
    public async Task ApplyFillToPositionAsync_NewDayWithoutCoin_OpensWithCashAndNoTicker()
    {
        Load(Filled(OrderSide.Buy));
        Day(new DateOnly(2026, 3, 10), startingEquity: null);
        _exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
            [new Balance("KRW", 700_000m, 0m, 0m), new Balance("KRW", 0.5m, 0m, 0m)]);
        Ledger(Now, 700_000.5m);

        Assert.True(await Steps().ApplyFillToPositionAsync(OrderId));
        _exchange.Verify(e => e.GetTickerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ApplyFillToPositionAsync_Sell_ChecksDailyLossAtOnce()
    {
        Load(Filled(OrderSide.Sell));
        Day(new DateOnly(2026, 3, 10), startingEquity: 1_000_000m);
        Ledger(Now, 1_000_000m);

        Assert.True(await Steps().ApplyFillToPositionAsync(OrderId));
        _guard.Verify(g => g.CheckDailyLossAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ApplyFillToPositionAsync_Buy_NoDailyLossCheck()
    {
        Load(Filled(OrderSide.Buy));
        Day(new DateOnly(2026, 3, 10), startingEquity: 1_000_000m);
        Ledger(Now, 1_000_000m);

        Assert.True(await Steps().ApplyFillToPositionAsync(OrderId));
        _guard.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ApplyFillToPositionAsync_ConcurrentRunAppliedFirst_FalseAndNoDailyLossCheck()
    {
        Load(Filled(OrderSide.Sell));
        Day(new DateOnly(2026, 3, 10), startingEquity: 1_000_000m);
        _ledger.Setup(l => l.ApplyFillAsync(OrderId, Now, 1_000_000m, It.IsAny<CancellationToken>())).ReturnsAsync((AppliedFill?)null);

        Assert.False(await Steps().ApplyFillToPositionAsync(OrderId));
        _guard.VerifyNoOtherCalls();
    }

    // ---- SendNotification ----

    [Fact]
    public async Task SendNotificationAsync_Executed_InfoWithVolumeAndFunds()
    {
        var sent = CaptureNotifications();

        await Steps().SendNotificationAsync(new OrderOutcome(OrderId, "bat-42", OrderStatus.Executed, 0.001m, 100_000m, null));

        Assert.Equal(("Order 42 (bat-42) EXECUTED: volume 0.001, funds 100000 KRW", NotificationSeverity.Info), Assert.Single(sent));
    }

    [Fact]
    public async Task SendNotificationAsync_Failed_WarningWithError()
    {
        var sent = CaptureNotifications();

        await Steps().SendNotificationAsync(new OrderOutcome(OrderId, "bat-42", OrderStatus.Failed, 0m, 0m, "insufficient_funds_bid"));

        Assert.Equal(("Order 42 (bat-42) FAILED: volume 0, funds 0 KRW — insufficient_funds_bid", NotificationSeverity.Warning), Assert.Single(sent));
    }

    [Fact]
    public async Task SendNotificationAsync_NotifierFails_Swallowed()
    {
        _notifier.Setup(n => n.NotifyAsync(It.IsAny<string>(), It.IsAny<NotificationSeverity>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("slack down"));

        await Steps().SendNotificationAsync(new OrderOutcome(OrderId, "bat-42", OrderStatus.Executed, 0.001m, 100_000m, null));
    }

    [Fact]
    public async Task SendNotificationAsync_Cancelled_Propagates()
    {
        _notifier.Setup(n => n.NotifyAsync(It.IsAny<string>(), It.IsAny<NotificationSeverity>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException());

        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            Steps().SendNotificationAsync(new OrderOutcome(OrderId, "bat-42", OrderStatus.Executed, 0.001m, 100_000m, null)));
    }

    [Fact]
    public async Task SendNotificationAsync_NullOutcome_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Steps().SendNotificationAsync(null!));

    private OrderExecutionSteps Steps() => new(
        _orders.Object, _dailyStats.Object, _exchange.Object, _ledger.Object, _guard.Object, _riskEvents.Object, _notifier.Object, _clock,
        NullLogger<OrderExecutionSteps>.Instance);

    private static CreateOrderRecordInput CreateInput() =>
        new(new OrderInstruction(Market, OrderSide.Buy, OrderType.Price, OrderReason.Signal, Krw: 100_000m), "bat-x");

    private static Order Stored(OrderStatus status) => new()
    {
        Id = OrderId,
        Market = Market,
        Side = OrderSide.Buy,
        OrdType = OrderType.Price,
        RequestedKrw = 100_000m,
        Identifier = "bat-42",
        Status = status,
        Reason = OrderReason.Signal,
        CreatedAt = Now.AddMinutes(-1),
    };

    private static Order Filled(OrderSide side) => Stored(OrderStatus.Executed) with
    {
        Side = side,
        ExecutedVolume = 0.001m,
        ExecutedFundsKrw = 100_000m,
        PaidFee = 50m,
        AvgPrice = 100_000_000m,
        FinishedAt = Now,
    };

    private static ExchangeOrder Placed(string uuid, ExchangeOrderState state, decimal volume = 0m, decimal funds = 0m, decimal fee = 0m) =>
        new(uuid, "bat-42", Market, OrderSide.Buy, OrderType.Price, state, 100_000m, null, volume, funds, fee, Now);

    private void Load(Order order) => _orders.Setup(o => o.GetByIdAsync(OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(order);

    private void NotAtExchange() =>
        _exchange.Setup(e => e.GetOrderByIdentifierAsync("bat-42", It.IsAny<CancellationToken>())).ReturnsAsync((ExchangeOrder?)null);

    private void MarkSubmitted(string uuid, OrderUpdateOutcome outcome) =>
        _orders.Setup(o => o.MarkSubmittedAsync(OrderId, uuid, Now, It.IsAny<CancellationToken>())).ReturnsAsync(outcome);

    private void RecordResult(OrderUpdateOutcome outcome) => _orders.Setup(o => o.RecordResultAsync(
        OrderId, It.IsAny<OrderStatus>(), It.IsAny<decimal>(), It.IsAny<decimal>(), It.IsAny<decimal?>(), It.IsAny<decimal>(),
        It.IsAny<string?>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(outcome);

    private void Day(DateOnly day, decimal? startingEquity) => _dailyStats.Setup(d => d.GetAsync(day, It.IsAny<CancellationToken>()))
        .ReturnsAsync(startingEquity is { } equity ? new DailyStats(day, equity, null, 0m, 0, 0, 0, false, null, null, Now) : null);

    private void Ledger(DateTimeOffset at, decimal startingEquity) =>
        _ledger.Setup(l => l.ApplyFillAsync(OrderId, at, startingEquity, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AppliedFill(OrderId, new Position(Market, 0.001m, 100_050_000m, 0m, null, at, at), 0m, KstDay(at)));

    private static DateOnly KstDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(9)).DateTime);

    private void CancelRefused(ExchangeOrderState? after)
    {
        Load(Stored(OrderStatus.Submitted) with { ExchangeUuid = "u-11" });
        _exchange.SetupSequence(e => e.GetOrderByUuidAsync("u-11", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Placed("u-11", ExchangeOrderState.Open))
            .ReturnsAsync(after is { } state ? Placed("u-11", state) : null);
        _exchange.Setup(e => e.CancelOrderAsync("u-11", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeRejectedException(400, "order_not_found", "gone"));
    }

    private List<(string Message, NotificationSeverity Severity)> CaptureNotifications()
    {
        var sent = new List<(string, NotificationSeverity)>();
        _notifier.Setup(n => n.NotifyAsync(It.IsAny<string>(), It.IsAny<NotificationSeverity>(), It.IsAny<CancellationToken>()))
            .Callback((string m, NotificationSeverity s, CancellationToken _) => sent.Add((m, s)))
            .Returns(Task.CompletedTask);
        return sent;
    }

    private sealed class FakeDbException(string sqlState) : DbException("database error")
    {
        public override string SqlState => sqlState;
    }
}
