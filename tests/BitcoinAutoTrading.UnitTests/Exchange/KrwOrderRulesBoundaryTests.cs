using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.UnitTests.Exchange;

/// <summary>Upbit's KRW order rules at their exact limits, and the message each refusal gives the trader.</summary>
public sealed class KrwOrderRulesBoundaryTests
{
    private const string Market = "KRW-BTC";

    [Fact]
    public void Normalize_MarketBuyOfExactly5000Krw_Accepted() =>
        Assert.Equal(5_000m, KrwOrderRules.Normalize(Buy(5_000m)).Price);

    [Fact]
    public void Normalize_MarketBuyOf5000Point9Krw_SpendsWhole5000() =>
        Assert.Equal(5_000m, KrwOrderRules.Normalize(Buy(5_000.9m)).Price);

    [Fact]
    public void Normalize_MarketBuyOf4999Point99Krw_RefusedAfterFlooringToWholeWon()
    {
        var error = Assert.Throws<OrderValidationException>(() => KrwOrderRules.Normalize(Buy(4_999.99m)));

        Assert.Equal("Market buy of 4999 KRW is worth 4999 KRW, under the exchange minimum of 5000 KRW.", error.Message);
    }

    [Fact]
    public void Normalize_MarketSellWorthExactly5000AtReference_Accepted()
    {
        var order = KrwOrderRules.Normalize(Sell(0.0001m), referencePrice: 50_000_000m);

        Assert.Equal(0.0001m, order.Volume);
    }

    [Fact]
    public void Normalize_MarketSellUnderMinimum_MessageNamesVolumeAndPrice()
    {
        var error = Assert.Throws<OrderValidationException>(() => KrwOrderRules.Normalize(Sell(0.00009999m), referencePrice: 50_000_000m));

        Assert.Equal("Market sell of 0.00009999 at about 50000000 KRW is worth 4999.5 KRW, under the exchange minimum of 5000 KRW.", error.Message);
    }

    [Fact]
    public void Normalize_MarketSellWithoutReferencePrice_MinimumNotChecked() =>
        Assert.Equal(0.00000001m, KrwOrderRules.Normalize(Sell(0.00000001m)).Volume);

    [Fact]
    public void Normalize_LimitWorthExactly5000_Accepted()
    {
        var order = KrwOrderRules.Normalize(Limit(OrderSide.Buy, volume: 0.0001m, price: 50_000_000m));

        Assert.Equal((50_000_000m, 0.0001m), (order.Price, order.Volume));
    }

    [Fact]
    public void Normalize_LimitUnderMinimum_RefusedWithPriceTimesVolume()
    {
        var error = Assert.Throws<OrderValidationException>(() => KrwOrderRules.Normalize(Limit(OrderSide.Sell, volume: 0.00001m, price: 95_000_000m)));

        Assert.Equal("Limit order of 0.00001 at 95000000 KRW is worth 950 KRW, under the exchange minimum of 5000 KRW.", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Normalize_LimitPriceNotPositive_Refused(int price)
    {
        var error = Assert.Throws<OrderValidationException>(() => KrwOrderRules.Normalize(Limit(OrderSide.Buy, volume: 1m, price: price)));

        Assert.Equal("A limit price must be positive.", error.Message);
    }

    [Theory]
    [InlineData(null, 50_000_000)]
    [InlineData(0.001, null)]
    public void Normalize_LimitMissingPriceOrVolume_Refused(double? volume, int? price)
    {
        var request = new OrderRequest(Market, OrderSide.Buy, OrderType.Limit, "id", (decimal?)volume, price);

        Assert.Equal("A limit order names both price and volume.", Assert.Throws<OrderValidationException>(() => KrwOrderRules.Normalize(request)).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.5)]
    public void Normalize_VolumeNotPositive_RefusedAsNotPositive(double volume)
    {
        var error = Assert.Throws<OrderValidationException>(() => KrwOrderRules.Normalize(Sell((decimal)volume)));

        Assert.Equal("An order volume must be positive.", error.Message);
    }

    [Fact]
    public void Normalize_VolumeBelowOneSatoshi_RefusedAsBelowSmallestUnit()
    {
        var error = Assert.Throws<OrderValidationException>(() => KrwOrderRules.Normalize(Sell(0.000000009m)));

        Assert.Equal("Volume 0.000000009 is below the exchange's smallest unit (0.00000001).", error.Message);
    }

    public static TheoryData<OrderRequest, string> WrongShapes => new()
    {
        { new OrderRequest(Market, OrderSide.Buy, OrderType.Price, " ", Price: 10_000m), "An order needs a client identifier so a retry can find it instead of placing it twice." },
        { new OrderRequest("BTC-ETH", OrderSide.Buy, OrderType.Price, "id", Price: 10_000m), "Market 'BTC-ETH' is not a KRW market; only KRW markets are supported." },
        { new OrderRequest(Market, OrderSide.Sell, OrderType.Price, "id", Price: 10_000m), "A 'price' order is a market buy by KRW amount; it cannot sell." },
        { new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "id"), "A market buy names the KRW amount to spend (Price) and no volume." },
        { new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "id", Volume: 1m, Price: 10_000m), "A market buy names the KRW amount to spend (Price) and no volume." },
        { new OrderRequest(Market, OrderSide.Buy, OrderType.Market, "id", Volume: 1m), "A 'market' order is a market sell by volume; buy by KRW amount with a 'price' order." },
        { new OrderRequest(Market, OrderSide.Sell, OrderType.Market, "id"), "A market sell names the volume to sell and no price." },
        { new OrderRequest(Market, OrderSide.Sell, OrderType.Market, "id", Volume: 1m, Price: 10_000m), "A market sell names the volume to sell and no price." },
        { new OrderRequest(Market, OrderSide.Buy, (OrderType)99, "id", Price: 10_000m), "Unknown order type 99." },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public void Normalize_WrongShape_MessageSaysWhatIsWrong(OrderRequest request, string expected) =>
        Assert.Equal(expected, Assert.Throws<OrderValidationException>(() => KrwOrderRules.Normalize(request)).Message);

    [Fact]
    public void Normalize_NullRequest_Throws() =>
        Assert.Throws<ArgumentNullException>(() => KrwOrderRules.Normalize(null!));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TickSize_ZeroOrNegativePrice_Throws(int price) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => KrwTickSize.For(price));

    [Theory]
    [InlineData("1000000", "1000")]
    [InlineData("999999.99", "500")]
    [InlineData("100000", "100")]
    [InlineData("99999", "50")]
    [InlineData("50000", "50")]
    [InlineData("49999", "10")]
    [InlineData("10000", "10")]
    [InlineData("9999", "5")]
    [InlineData("5000", "5")]
    [InlineData("4999", "1")]
    [InlineData("1000", "1")]
    [InlineData("100", "1")]
    [InlineData("99.99", "0.01")]
    [InlineData("10", "0.01")]
    [InlineData("9.999", "0.001")]
    [InlineData("1", "0.001")]
    [InlineData("0.1", "0.0001")]
    [InlineData("0.0999", "0.00001")]
    [InlineData("0.01", "0.00001")]
    [InlineData("0.001", "0.000001")]
    [InlineData("0.0001", "0.0000001")]
    [InlineData("0.00009", "0.00000001")]
    public void TickSize_AtEachRowsLowerBound_ThatRowsTick(string price, string tick) =>
        Assert.Equal(Parse(tick), KrwTickSize.For(Parse(price)));

    [Fact]
    public void RoundDownAndUp_PriceOnGrid_Unchanged()
    {
        Assert.Equal(100_000_000m, KrwTickSize.RoundDown(100_000_000m));
        Assert.Equal(100_000_000m, KrwTickSize.RoundUp(100_000_000m));
        Assert.True(KrwTickSize.IsOnGrid(7_005m));
        Assert.False(KrwTickSize.IsOnGrid(7_003m));
    }

    [Fact]
    public void ExchangeOrder_AveragePriceAndFinality()
    {
        var open = new ExchangeOrder("u", "id", Market, OrderSide.Buy, OrderType.Price, ExchangeOrderState.Open, 100_000m, null, 0m, 0m, 0m, DateTimeOffset.UnixEpoch);
        var done = open with { State = ExchangeOrderState.Done, ExecutedVolume = 0.002m, ExecutedFunds = 200_000m };

        Assert.Null(open.AveragePrice);
        Assert.False(open.IsFinal);
        Assert.Equal(100_000_000m, done.AveragePrice);
        Assert.True(done.IsFinal);
        Assert.True((open with { State = ExchangeOrderState.Cancelled }).IsFinal);
    }

    [Fact]
    public void ExchangeRejectedException_MessageNamesStatusAndErrorName()
    {
        var error = new ExchangeRejectedException(400, "insufficient_funds_bid", "not enough KRW");

        Assert.Equal("Exchange rejected the request (400 insufficient_funds_bid): not enough KRW", error.Message);
        Assert.Equal((400, "insufficient_funds_bid"), (error.StatusCode, error.ErrorName));
    }

    private static decimal Parse(string value) => decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static OrderRequest Buy(decimal krw) => new(Market, OrderSide.Buy, OrderType.Price, "id", Price: krw);

    private static OrderRequest Sell(decimal volume) => new(Market, OrderSide.Sell, OrderType.Market, "id", Volume: volume);

    private static OrderRequest Limit(OrderSide side, decimal volume, decimal price) =>
        new(Market, side, OrderType.Limit, "id", Volume: volume, Price: price);
}
