using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange.Paper;

namespace BitcoinAutoTrading.UnitTests.Exchange;

public sealed class PaperFillTests
{
    private const decimal Fee = 0.0005m;

    [Fact]
    public void Compute_MarketBuyByKrw_FeeOnTopAndVolumeTruncated()
    {
        var fill = PaperFill.Compute(new OrderRequest("KRW-BTC", OrderSide.Buy, OrderType.Price, "b", Price: 100_000m), 133_333_333m, Fee, 1_000_000m, 0m);

        Assert.Equal(ExchangeOrderState.Done, fill.State);
        Assert.Equal(0.00075m, fill.ExecutedVolume);
        Assert.Equal(99_999.99975m, fill.ExecutedFunds);
        Assert.Equal(49.99999988m, fill.PaidFee);
        Assert.Equal(-(fill.ExecutedFunds + fill.PaidFee), fill.QuoteAvailableDelta);
        Assert.Equal(0.00075m, fill.BaseAvailableDelta);
    }

    [Fact]
    public void Compute_BuyNeedingFeeBeyondBalance_InsufficientFundsBid()
    {
        // 100,000 KRW plus the 50 KRW fee does not fit in 100,020 KRW.
        var error = Assert.Throws<ExchangeRejectedException>(() =>
            PaperFill.Compute(new OrderRequest("KRW-BTC", OrderSide.Buy, OrderType.Price, "b", Price: 100_000m), 100_000_000m, Fee, 100_020m, 0m));

        Assert.Equal((400, "insufficient_funds_bid"), (error.StatusCode, error.ErrorName));
    }

    [Fact]
    public void Compute_MarketSell_ProceedsMinusFee()
    {
        var fill = PaperFill.Compute(new OrderRequest("KRW-BTC", OrderSide.Sell, OrderType.Market, "s", Volume: 0.01m), 100_000_000m, Fee, 0m, 0.01m);

        Assert.Equal(1_000_000m, fill.ExecutedFunds);
        Assert.Equal(500m, fill.PaidFee);
        Assert.Equal(999_500m, fill.QuoteAvailableDelta);
        Assert.Equal(-0.01m, fill.BaseAvailableDelta);
    }

    [Fact]
    public void Compute_SellMoreThanHeld_InsufficientFundsAsk() =>
        Assert.Equal("insufficient_funds_ask", Assert.Throws<ExchangeRejectedException>(() =>
            PaperFill.Compute(new OrderRequest("KRW-BTC", OrderSide.Sell, OrderType.Market, "s", Volume: 0.02m), 100_000_000m, Fee, 0m, 0.01m)).ErrorName);

    [Fact]
    public void Compute_LimitSellAboveMarket_RestsWithCoinLocked()
    {
        var fill = PaperFill.Compute(new OrderRequest("KRW-BTC", OrderSide.Sell, OrderType.Limit, "s", Volume: 0.01m, Price: 110_000_000m), 100_000_000m, Fee, 0m, 0.01m);

        Assert.Equal(ExchangeOrderState.Open, fill.State);
        Assert.Equal((-0.01m, 0.01m, 0.01m), (fill.BaseAvailableDelta, fill.BaseLockedDelta, fill.Reserved));
    }

    [Fact]
    public void Compute_MarketableLimitBuy_FillsAtTicker()
    {
        var fill = PaperFill.Compute(new OrderRequest("KRW-BTC", OrderSide.Buy, OrderType.Limit, "b", Volume: 0.001m, Price: 101_000_000m), 100_000_000m, Fee, 1_000_000m, 0m);

        Assert.Equal(ExchangeOrderState.Done, fill.State);
        Assert.Equal(100_000m, fill.ExecutedFunds);
    }
}
