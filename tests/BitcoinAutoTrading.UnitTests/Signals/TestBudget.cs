using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Budget;
using Moq;

namespace BitcoinAutoTrading.UnitTests.Signals;

/// <summary>A spend cap with nothing spent and no quota block: every priced model may be called.</summary>
internal static class TestBudget
{
    public static AiBudgetGuard Unlimited(TimeProvider? clock = null) => new(Empty().Object, AiPricing.Default, clock ?? TimeProvider.System);

    public static Mock<IAiSpendRepository> Empty()
    {
        var repository = new Mock<IAiSpendRepository>();
        repository.Setup(r => r.GetSpendAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);
        repository.Setup(r => r.GetQuotaBlockAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((AiQuotaBlock?)null);
        return repository;
    }
}
