using Moq;
using Microsoft.DurableTask.Client;

namespace BitcoinAutoTrading.IntegrationTests.Fakes;

/// <summary>
/// The <c>[DurableClient]</c> argument for function calls in tests where no order can start: any use of it fails the
/// test (strict mock), which is what proves it was not needed.
/// </summary>
public static class UnusedDurableClient
{
    public static DurableTaskClient Create() => new Mock<DurableTaskClient>(MockBehavior.Strict, "unused").Object;
}
