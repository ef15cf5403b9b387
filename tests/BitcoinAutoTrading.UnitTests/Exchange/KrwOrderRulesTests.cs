using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.UnitTests.Exchange;

public sealed class KrwOrderRulesTests
{
    [Theory]
    [InlineData("150000000", "1000")]
    [InlineData("1000000", "1000")]
    [InlineData("999999", "500")]
    [InlineData("500000", "500")]
    [InlineData("250000", "100")]
    [InlineData("75000", "50")]
    [InlineData("20000", "10")]
    [InlineData("7000", "5")]
    [InlineData("1500", "1")]
    [InlineData("150", "1")]
    [InlineData("50", "0.01")]
    [InlineData("5", "0.001")]
    [InlineData("0.5", "0.0001")]
    [InlineData("0.00005", "0.00000001")]
    public void TickSize_PriceBand_MatchesUpbitTable(string price, string tick) =>
        Assert.Equal(decimal.Parse(tick, System.Globalization.CultureInfo.InvariantCulture),
            KrwTickSize.For(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void RoundDownAndUp_OffGridPrice_LandOnNeighbouringTicks()
    {
        Assert.Equal(100_000_000m, KrwTickSize.RoundDown(100_000_999m));
        Assert.Equal(100_001_000m, KrwTickSize.RoundUp(100_000_001m));
        Assert.Equal(999_500m, KrwTickSize.RoundDown(999_999m));
        Assert.True(KrwTickSize.IsOnGrid(100_001_000m));
        Assert.False(KrwTickSize.IsOnGrid(100_000_500m));
    }

    [Fact]
    public void Normalize_MarketBuyUnderMinimum_ThrowsNamingTheMinimum()
    {
        var error = Assert.Throws<OrderValidationException>(() =>
            KrwOrderRules.Normalize(new OrderRequest("KRW-BTC", OrderSide.Buy, OrderType.Price, "id", Price: 4_999.99m)));

        Assert.Contains("minimum of 5000 KRW", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_MarketBuy_SpendsWholeWon()
    {
        var order = KrwOrderRules.Normalize(new OrderRequest("KRW-BTC", OrderSide.Buy, OrderType.Price, "id", Price: 10_000.7m));

        Assert.Equal(10_000m, order.Price);
    }

    [Fact]
    public void Normalize_LimitBuyAndSell_RoundedInTheTradersFavour()
    {
        var buy = KrwOrderRules.Normalize(new OrderRequest("KRW-BTC", OrderSide.Buy, OrderType.Limit, "b", Volume: 0.001m, Price: 95_000_500m));
        var sell = KrwOrderRules.Normalize(new OrderRequest("KRW-BTC", OrderSide.Sell, OrderType.Limit, "s", Volume: 0.001m, Price: 95_000_500m));

        Assert.Equal(95_000_000m, buy.Price);
        Assert.Equal(95_001_000m, sell.Price);
    }

    [Fact]
    public void Normalize_MarketSellWorthLessThanMinimumAtReferencePrice_Throws() =>
        Assert.Throws<OrderValidationException>(() =>
            KrwOrderRules.Normalize(new OrderRequest("KRW-BTC", OrderSide.Sell, OrderType.Market, "s", Volume: 0.00004m), referencePrice: 100_000_000m));

    [Fact]
    public void Normalize_VolumeBeyondEightDecimals_Truncated()
    {
        var order = KrwOrderRules.Normalize(
            new OrderRequest("KRW-BTC", OrderSide.Sell, OrderType.Market, "s", Volume: 0.123456789m), referencePrice: 100_000_000m);

        Assert.Equal(0.12345678m, order.Volume);
    }

    [Theory]
    [InlineData("", "KRW-BTC", OrderSide.Buy, OrderType.Price)]
    [InlineData("id", "BTC-ETH", OrderSide.Buy, OrderType.Price)]
    [InlineData("id", "KRW-BTC", OrderSide.Sell, OrderType.Price)]
    [InlineData("id", "KRW-BTC", OrderSide.Buy, OrderType.Market)]
    public void Normalize_WrongShape_Throws(string identifier, string market, OrderSide side, OrderType type) =>
        Assert.Throws<OrderValidationException>(() =>
            KrwOrderRules.Normalize(new OrderRequest(market, side, type, identifier, Volume: type == OrderType.Market ? 1m : null, Price: type == OrderType.Price ? 10_000m : null), 100_000_000m));
}
