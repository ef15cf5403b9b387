using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class PositionSizingTests
{
    [Fact]
    public void SizeBuy_ConfidenceBetweenBounds_InterpolatesShareOfEquityExactly()
    {
        var holdings = new Holdings("KRW-BTC", 100_000_000m, 1_234_567m, 1_234_567m, 0m, 0m);

        var sizing = PositionSizing.SizeBuy(holdings, 0.73m, new RiskSettings());

        // (10 + (25 − 10) × 0.73) % = 20.95 % of 1,234,567 = 258,641.7865 → 258,641 whole won.
        Assert.Equal(258_641.7865m, sizing.TargetKrw);
        Assert.Equal(258_641m, sizing.OrderKrw);
        Assert.True(sizing.MeetsMinimum);
        Assert.Null(sizing.Shortfall);
    }

    [Theory]
    [InlineData(0, 100_000)]
    [InlineData(1, 250_000)]
    [InlineData(1.5, 250_000)]
    public void SizeBuy_ConfidenceAtOrBeyondBounds_UsesMinOrMaxShare(double confidence, int expectedKrw)
    {
        var holdings = new Holdings("KRW-BTC", 100_000_000m, 1_000_000m, 1_000_000m, 0m, 0m);

        var sizing = PositionSizing.SizeBuy(holdings, (decimal)confidence, new RiskSettings());

        Assert.Equal(expectedKrw, sizing.OrderKrw);
    }

    [Fact]
    public void SizeBuy_EquityIncludesCoinAtMarketPrice_ShareAndExposureUseIt()
    {
        // 700,000 KRW + 0.003 BTC × 100,000,000 = 1,000,000 equity; max share 25 % = 250,000 but 50 % exposure
        // leaves 500,000 − 300,000 = 200,000.
        var holdings = new Holdings("KRW-BTC", 100_000_000m, 700_000m, 700_000m, 0.003m, 0.003m);

        var sizing = PositionSizing.SizeBuy(holdings, 1m, new RiskSettings());

        Assert.Equal(1_000_000m, holdings.EquityKrw);
        Assert.Equal(250_000m, sizing.TargetKrw);
        Assert.Equal(200_000m, sizing.ExposureRoomKrw);
        Assert.Equal(200_000m, sizing.OrderKrw);
    }

    [Fact]
    public void SizeBuy_SmallAccount_UnderExchangeMinimum()
    {
        var holdings = new Holdings("KRW-BTC", 100_000_000m, 40_000m, 40_000m, 0m, 0m);

        var sizing = PositionSizing.SizeBuy(holdings, 0.6m, new RiskSettings());

        // 19 % of 40,000 = 7,600 ≥ 5,000; at 10 % it would be 4,000.
        Assert.Equal(7_600m, sizing.OrderKrw);
        var tiny = PositionSizing.SizeBuy(holdings, 0m, new RiskSettings());
        Assert.False(tiny.MeetsMinimum);
        Assert.Equal("below the exchange minimum", tiny.Shortfall);
    }
}
