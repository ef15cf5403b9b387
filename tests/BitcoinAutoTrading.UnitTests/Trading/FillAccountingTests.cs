using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.UnitTests.Trading;

/// <summary>The money arithmetic of one fill: fees go into cost, a sell realizes net proceeds minus cost.</summary>
public sealed class FillAccountingTests
{
    private const string Market = "KRW-BTC";
    private static readonly DateTimeOffset Opened = new(2026, 3, 9, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset At = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_FirstBuy_AverageIsFundsPlusFeeOverVolume()
    {
        // 100,000 KRW for 0.001 BTC plus a 50 KRW fee: break-even is 100,050 / 0.001 = 100,050,000.
        var effect = FillAccounting.Apply(null, Fill(OrderSide.Buy, 0.001m, 100_000m, 50m), At);

        Assert.Equal(new Position(Market, 0.001m, 100_050_000m, 0m, 100_000_000m, At, At), effect.Position);
        Assert.Equal(0m, effect.RealizedPnlKrw);
        Assert.False(effect.ClosesTrade);
    }

    [Fact]
    public void Apply_BuyAddingToPosition_WeighsOldCostAndKeepsOpenedAtAndRealized()
    {
        var current = new Position(Market, 0.002m, 90_000_000m, 1_234m, 95_000_000m, Opened, Opened);

        // Old cost 0.002 × 90,000,000 = 180,000; new 110,000 + 55 fee; (180,000 + 110,055) / 0.003 = 96,685,000.
        var effect = FillAccounting.Apply(current, Fill(OrderSide.Buy, 0.001m, 110_000m, 55m, avgPrice: 110_000_000m), At);

        Assert.Equal(new Position(Market, 0.003m, 96_685_000m, 1_234m, 110_000_000m, Opened, At), effect.Position);
        Assert.Equal(0m, effect.RealizedPnlKrw);
    }

    [Fact]
    public void Apply_BuyWithoutStoredAveragePrice_PeakStartsAtFundsOverVolume()
    {
        var effect = FillAccounting.Apply(null, Fill(OrderSide.Buy, 0.003m, 100_000m, 0m), At);

        // 100,000 / 0.003 = 33,333,333.333… rounded to the 8 decimals stored.
        Assert.Equal(33_333_333.33333333m, effect.Position.PeakPriceSinceEntry);
        Assert.Equal(33_333_333.33333333m, effect.Position.AvgEntryPrice);
    }

    [Fact]
    public void Apply_BuyIntoClosedPosition_OpensAnewAtFillTime()
    {
        // A closed position keeps its realized total; its old opening time must not leak into the new trade.
        var closed = new Position(Market, 0m, 0m, -500m, null, Opened, Opened);

        var effect = FillAccounting.Apply(closed, Fill(OrderSide.Buy, 0.001m, 100_000m, 50m), At);

        Assert.Equal(At, effect.Position.OpenedAt);
        Assert.Equal(-500m, effect.Position.RealizedPnlKrw);
        Assert.Equal(100_050_000m, effect.Position.AvgEntryPrice);
    }

    [Fact]
    public void Apply_BuyIntoOpenPositionWithoutOpenedAt_UsesFillTime()
    {
        var current = new Position(Market, 0.001m, 100_000_000m, 0m, null, null, Opened);

        var effect = FillAccounting.Apply(current, Fill(OrderSide.Buy, 0.001m, 100_000m, 0m), At);

        Assert.Equal(At, effect.Position.OpenedAt);
    }

    [Fact]
    public void Apply_SellPartOfPosition_RealizesNetProceedsMinusCostAndKeepsAverage()
    {
        var current = new Position(Market, 0.003m, 100_000_000m, 1_000m, 110_000_000m, Opened, Opened);

        // Sell 0.001 for 110,000 with a 55 fee: (110,000 − 55) − 100,000,000 × 0.001 = 9,945.
        var effect = FillAccounting.Apply(current, Fill(OrderSide.Sell, 0.001m, 110_000m, 55m), At);

        Assert.Equal(9_945m, effect.RealizedPnlKrw);
        Assert.True(effect.ClosesTrade);
        Assert.Equal(new Position(Market, 0.002m, 100_000_000m, 10_945m, 110_000_000m, Opened, At), effect.Position);
    }

    [Fact]
    public void Apply_SellWholePosition_ClosesItAndAddsToRealizedTotal()
    {
        var current = new Position(Market, 0.001m, 100_000_000m, 2_000m, 101_000_000m, Opened, Opened);

        // A loss: (95,000 − 47.5) − 100,000 = −5,047.5.
        var effect = FillAccounting.Apply(current, Fill(OrderSide.Sell, 0.001m, 95_000m, 47.5m), At);

        Assert.Equal(-5_047.5m, effect.RealizedPnlKrw);
        Assert.Equal(new Position(Market, 0m, 0m, -3_047.5m, null, null, At), effect.Position);
    }

    [Fact]
    public void Apply_SellMoreThanHeld_RealizesOnlyTheHeldShareOfProceeds()
    {
        var current = new Position(Market, 0.001m, 100_000_000m, 0m, null, Opened, Opened);

        // 0.004 sold for 440,000 − 220 fee; 1/4 of it had a known cost: 439,780 / 4 − 100,000 = 9,945.
        var effect = FillAccounting.Apply(current, Fill(OrderSide.Sell, 0.004m, 440_000m, 220m), At);

        Assert.Equal(9_945m, effect.RealizedPnlKrw);
        Assert.Equal(0m, effect.Position.Quantity);
        Assert.Equal(9_945m, effect.Position.RealizedPnlKrw);
    }

    [Fact]
    public void Apply_SellWithoutPosition_RealizesNothingButClosesTrade()
    {
        var effect = FillAccounting.Apply(null, Fill(OrderSide.Sell, 0.001m, 100_000m, 50m), At);

        Assert.Equal(0m, effect.RealizedPnlKrw);
        Assert.True(effect.ClosesTrade);
        Assert.Equal(new Position(Market, 0m, 0m, 0m, null, null, At), effect.Position);
    }

    [Fact]
    public void Apply_SellRealized_RoundedToEightDecimals()
    {
        var current = new Position(Market, 0.001m, 10_000_000m, 0m, null, Opened, Opened);

        // A third of 100,000 net proceeds has a known cost of 10,000: 33,333.333333…− 10,000, kept to 8 decimals.
        var effect = FillAccounting.Apply(current, Fill(OrderSide.Sell, 0.003m, 100_000m, 0m), At);

        Assert.Equal(23_333.33333333m, effect.RealizedPnlKrw);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.001)]
    public void Apply_NoFill_Throws(double volume)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FillAccounting.Apply(null, Fill(OrderSide.Buy, (decimal)volume, 0m, 0m), At));

        Assert.Equal("order", error.ParamName);
    }

    [Fact]
    public void Apply_NullOrder_Throws() =>
        Assert.Throws<ArgumentNullException>(() => FillAccounting.Apply(null, null!, At));

    private static Order Fill(OrderSide side, decimal volume, decimal funds, decimal fee, decimal? avgPrice = null) => new()
    {
        Id = 42,
        Market = Market,
        Side = side,
        OrdType = side == OrderSide.Buy ? OrderType.Price : OrderType.Market,
        Identifier = "bat-42",
        Status = OrderStatus.Executed,
        Reason = OrderReason.Signal,
        CreatedAt = At.AddMinutes(-1),
        FinishedAt = At,
        ExecutedVolume = volume,
        ExecutedFundsKrw = funds,
        PaidFee = fee,
        AvgPrice = avgPrice,
    };
}
