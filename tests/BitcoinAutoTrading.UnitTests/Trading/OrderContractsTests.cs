using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.UnitTests.Trading;

/// <summary>The small value rules the order orchestration decides by: status mapping, stored names, poll back-off, market parts.</summary>
public sealed class OrderContractsTests
{
    [Theory]
    [InlineData(false, true, false, 0, OrderStatus.Failed)]
    [InlineData(true, false, false, 0.001, OrderStatus.Submitted)]
    [InlineData(true, true, true, 0.001, OrderStatus.PartiallyExecuted)]
    [InlineData(true, true, true, 0, OrderStatus.Cancelled)]
    [InlineData(true, true, false, 0.001, OrderStatus.Executed)]
    public void ToStatus_ExchangeView_StoredStatus(bool found, bool isFinal, bool cancelled, double volume, OrderStatus expected) =>
        Assert.Equal(expected, new OrderStateSnapshot(found, isFinal, cancelled, (decimal)volume, 0m, 0m).ToStatus());

    [Fact]
    public void NotFound_IsFinalFailureWithoutFill()
    {
        var snapshot = OrderStateSnapshot.NotFound("order_not_found");

        Assert.Equal(new OrderStateSnapshot(false, true, false, 0m, 0m, 0m, "order_not_found"), snapshot);
        Assert.Equal(OrderStatus.Failed, snapshot.ToStatus());
    }

    [Theory]
    [InlineData(OrderStatus.Pending, "PENDING", false)]
    [InlineData(OrderStatus.Submitted, "SUBMITTED", false)]
    [InlineData(OrderStatus.Executed, "EXECUTED", true)]
    [InlineData(OrderStatus.PartiallyExecuted, "PARTIALLY_EXECUTED", true)]
    [InlineData(OrderStatus.Cancelled, "CANCELLED", true)]
    [InlineData(OrderStatus.Failed, "FAILED", true)]
    public void OrderStatus_StoredNameRoundTripsAndTerminality(OrderStatus status, string stored, bool terminal)
    {
        Assert.Equal(stored, status.ToDbValue());
        Assert.True(OrderStatusExtensions.TryParseDbValue(stored, out var parsed));
        Assert.Equal(status, parsed);
        Assert.Equal(terminal, status.IsTerminal());
    }

    [Theory]
    [InlineData("executed")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseDbValue_NotAStoredName_False(string? value) =>
        Assert.False(OrderStatusExtensions.TryParseDbValue(value, out _));

    [Fact]
    public void ToDbValue_UnknownStatus_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((OrderStatus)42).ToDbValue());

    [Fact]
    public void Next_DoublesUntilTheCap()
    {
        var polling = new OrderPolling(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromSeconds(2), polling.Next(TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(30), polling.Next(TimeSpan.FromSeconds(16)));
        Assert.Equal(TimeSpan.FromSeconds(30), polling.Next(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void ToPolling_CarriesTheConfiguredIntervals()
    {
        var options = new OrdersOptions
        {
            PollInitialInterval = TimeSpan.FromMilliseconds(50),
            PollMaxInterval = TimeSpan.FromSeconds(2),
            PollTimeout = TimeSpan.FromSeconds(9),
        };

        Assert.Equal(new OrderPolling(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(9)), options.ToPolling());
    }

    [Theory]
    [InlineData("KRW-BTC", "KRW", "BTC")]
    [InlineData("KRW-ETH", "KRW", "ETH")]
    public void TradingOptions_MarketParts(string market, string quote, string coin)
    {
        var options = new TradingOptions { Market = market };

        Assert.Equal((quote, coin), (options.QuoteCurrency, options.BaseCurrency));
    }

    [Fact]
    public void SubmitOrderResult_OkAndRejected()
    {
        Assert.Equal(new SubmitOrderResult(true, "u", null), SubmitOrderResult.Ok("u"));
        Assert.Equal(new SubmitOrderResult(false, null, "e"), SubmitOrderResult.Rejected("e"));
    }
}
