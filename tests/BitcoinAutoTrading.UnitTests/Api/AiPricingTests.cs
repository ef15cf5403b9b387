using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.Health;

namespace BitcoinAutoTrading.UnitTests.Api;

public sealed class AiPricingTests
{
    [Fact]
    public void EstimateUsd_Flash_BillsThinkingAsOutput()
    {
        // 1M input at $0.30 + (0.5M output + 0.5M thinking) at $2.50 = $2.80
        Assert.Equal(2.80m, AiPricing.EstimateUsd("gemini-2.5-flash", 1_000_000, 500_000, 500_000));
    }

    [Fact]
    public void EstimateUsd_UnknownModel_IsNull()
    {
        Assert.Null(AiPricing.EstimateUsd("gemini-9-ultra", 1000, 1000, 0));
        Assert.Null(AiPricing.EstimateUsd(null, 1000, 1000, 0));
    }

    [Theory]
    [InlineData(OrderStatus.PartiallyExecuted, WireCase.UpperSnake, "PARTIALLY_EXECUTED")]
    [InlineData(OrderReason.TrailingStop, WireCase.LowerSnake, "trailing_stop")]
    [InlineData(SignalProviderKind.Gemini, WireCase.LowerSnake, "gemini")]
    public void WireNames_MatchTheStoredNames(Enum value, WireCase wireCase, string expected)
    {
        var actual = value switch
        {
            OrderStatus s => s.ToWire(wireCase),
            OrderReason r => r.ToWire(wireCase),
            SignalProviderKind p => p.ToWire(wireCase),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };

        Assert.Equal(expected, actual);
        Assert.Equal(OrderStatus.PartiallyExecuted.ToDbValue(), OrderStatus.PartiallyExecuted.ToWire(WireCase.UpperSnake));
    }

    [Fact]
    public void HealthStatus_Worst_PicksTheMostSevere()
    {
        Assert.Equal("unhealthy", HealthStatus.Worst(["healthy", "unhealthy", "degraded"]));
        Assert.Equal("degraded", HealthStatus.Worst(["healthy", "degraded"]));
        Assert.Equal("healthy", HealthStatus.Worst([]));
    }
}
