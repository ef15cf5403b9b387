using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange.Upbit;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Exchange;

/// <summary>
/// SPEC §13 R1: the submit step runs more than once, the exchange accepts but the answer is lost, under 100 randomized
/// fault schedules. The fake here does NOT refuse reused identifiers, so any blind re-send would show as a second order.
/// </summary>
public sealed class OrderRetryFaultTests(ITestOutputHelper output) : IDisposable
{
    private const string Market = "KRW-BTC";
    private const int Schedules = 100;
    private readonly UpbitFake _upbit = UpbitFake.Start();

    public void Dispose() => _upbit.Dispose();

    [Fact]
    public async Task PlaceOrder_100RandomFaultSchedules_ExactlyOneExchangeOrderEach()
    {
        using var host = ExchangeTestHost.Build(_upbit, settings: new Dictionary<string, string?>
        {
            ["Upbit:RetryBaseDelay"] = "00:00:00.001",
            ["Upbit:MaxRetries"] = "2",
            ["Upbit:OrderRequestsPerSecond"] = "1000",
            ["Upbit:ExchangeRequestsPerSecond"] = "1000",
            ["Upbit:QuotationRequestsPerSecond"] = "1000",
        });
        var exchange = host.Services.GetRequiredService<UpbitExchange>();
        var random = new Random(20_240_601);
        var ordersPerSchedule = new List<int>();
        var submitRuns = new List<int>();

        for (var schedule = 0; schedule < Schedules; schedule++)
        {
            _upbit.Reset();
            _upbit.EnforceUniqueIdentifiers = false;
            foreach (var group in new[] { "quotation", "default", "order" })
            {
                _upbit.SetReportedLimit(group, 100_000);
            }
            _upbit.SetTicker(Market, 100_000_000m);
            _upbit.SetBalance("KRW", 10_000_000m);
            _upbit.ScheduleFaults(UpbitEndpoint.PlaceOrder, RandomFaults(random, PostFaults, maxCount: 4));
            _upbit.ScheduleFaults(UpbitEndpoint.GetOrder, RandomFaults(random, LookupFaults, maxCount: 4));
            var identifier = $"r1-{schedule}-{Guid.NewGuid():N}";
            var request = new OrderRequest(Market, OrderSide.Buy, OrderType.Price, identifier, Price: 10_000m);

            // The submit activity runs until it succeeds (at-least-once), then once more as a replay would.
            var runs = 0;
            var placed = await SubmitUntilDoneAsync(exchange, request, () => runs++);
            var replay = await SubmitUntilDoneAsync(exchange, request, () => runs++);

            var orders = _upbit.Orders.Where(o => o.Identifier == identifier).ToList();
            ordersPerSchedule.Add(orders.Count);
            submitRuns.Add(runs);
            Assert.Single(orders);
            Assert.Equal(orders[0].Uuid, placed.Uuid);
            Assert.Equal(orders[0].Uuid, replay.Uuid);
        }

        output.WriteLine($"R1: {Schedules} schedules; exchange orders per schedule min {ordersPerSchedule.Min()} max {ordersPerSchedule.Max()}; " +
            $"submit runs per schedule min {submitRuns.Min()} max {submitRuns.Max()} (incl. replay)");
        Assert.All(ordersPerSchedule, count => Assert.Equal(1, count));
    }

    private static readonly UpbitFault[] PostFaults =
    [
        UpbitFault.None,
        UpbitFault.ServerError,
        UpbitFault.ServerErrorAfterProcessing,
        UpbitFault.LostResponse,
        UpbitFault.TooManyRequests(0),
    ];

    private static readonly UpbitFault[] LookupFaults =
    [
        UpbitFault.None,
        UpbitFault.ServerError,
        UpbitFault.LostResponse,
        UpbitFault.TooManyRequests(0),
    ];

    private static async Task<ExchangeOrder> SubmitUntilDoneAsync(UpbitExchange exchange, OrderRequest request, Action countRun)
    {
        for (var run = 0; run < 20; run++)
        {
            countRun();
            try
            {
                return await exchange.PlaceOrderAsync(request);
            }
            catch (ExchangeUnavailableException)
            {
                // Outcome unknown: the activity retry policy runs the step again.
            }
        }
        throw new InvalidOperationException($"Order {request.Identifier} was not placed in 20 runs.");
    }

    private static UpbitFault[] RandomFaults(Random random, UpbitFault[] choices, int maxCount) =>
        Enumerable.Range(0, random.Next(0, maxCount + 1)).Select(_ => choices[random.Next(choices.Length)]).ToArray();
}
