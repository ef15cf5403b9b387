using System.Collections.Concurrent;
using BitcoinAutoTrading.Core.Exchange;
using System.Text.Json;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// The orchestration's control flow in the real Durable in-process host, with scripted steps: polling until a fill,
/// the deadline cancel, a 4xx rejection, and an unknown submit outcome settled by polling.
/// </summary>
public sealed class ExecuteOrderOrchestratorFlowTests
{
    private static readonly OrderPolling FastPolling = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static ExecuteOrderInput Buy(OrderPolling? polling = null) => new(
        new OrderInstruction("KRW-BTC", OrderSide.Buy, OrderType.Price, OrderReason.Signal, Krw: 100_000m), polling ?? FastPolling);

    [Fact]
    public async Task Run_FillAfterSeveralPolls_RecordsExecutedAndAppliesOnce()
    {
        var steps = new ScriptedSteps { OpenPolls = 3 };
        await using var host = await OrchestrationHost.StartAsync(steps);

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, Buy(), Timeout);

        Assert.Equal(OrderStatus.Executed, outcome.Status);
        Assert.Equal(0.001m, outcome.ExecutedVolume);
        Assert.Equal(4, steps.Count(nameof(IOrderExecutionSteps.GetOrderStateAsync)));
        Assert.Equal(1, steps.Count(nameof(IOrderExecutionSteps.ApplyFillToPositionAsync)));
        Assert.Equal(0, steps.Count(nameof(IOrderExecutionSteps.CancelOrderAsync)));
        Assert.Equal(OrderStatus.Executed, steps.Recorded.Single().State.ToStatus());
        Assert.StartsWith("bat-", outcome.Identifier, StringComparison.Ordinal);
    }

    /// <summary>The converter Durable Functions uses in the worker, from the app's registration (as Program.cs has it).</summary>
    private static DataConverter FunctionsDataConverter()
    {
        var services = new ServiceCollection();
        services.AddFunctionsWorkerCore().ConfigureDurableExtension();
        services.AddDurablePayloadJson();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<DurableTaskClientOptions>>().Get(Options.DefaultName).DataConverter;
    }

    [Fact]
    public async Task Run_WithTheFunctionsDataConverter_OutputNamesTheStatus()
    {
        var steps = new ScriptedSteps { OpenPolls = 1 };
        await using var host = await OrchestrationHost.StartAsync(steps, FunctionsDataConverter());
        var input = Buy();
        var instanceId = ExecuteOrderOrchestrator.InstanceIdFor(input.Instruction.Market);
        // The client here writes the input with the test host's default converter (enums as numbers), as payloads
        // stored before this change are: the worker must still read them.
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ExecuteOrderOrchestrator), input, new StartOrchestrationOptions(instanceId));
        using var cts = new CancellationTokenSource(Timeout);

        var metadata = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        using var output = JsonDocument.Parse(metadata.SerializedOutput!);
        Assert.Equal("EXECUTED", output.RootElement.GetProperty("Status").GetString());
    }

    [Fact]
    public void FunctionsDataConverter_OrderOutcome_WritesNamesAndReadsNamesAndNumbers()
    {
        var converter = FunctionsDataConverter();
        var outcome = new OrderOutcome(7, "bat-1", OrderStatus.PartiallyExecuted, 0.001m, 100_000m, null);

        var json = converter.Serialize(outcome)!;

        Assert.Contains("\"Status\":\"PARTIALLY_EXECUTED\"", json, StringComparison.Ordinal);
        Assert.Equal(outcome, converter.Deserialize<OrderOutcome>(json));
        Assert.Equal(OrderStatus.Executed, converter.Deserialize<OrderOutcome>(json.Replace("\"PARTIALLY_EXECUTED\"", "3", StringComparison.Ordinal))!.Status);
    }

    [Fact]
    public async Task Run_NoFillBeforeDeadline_CancelsAndRecordsPartialFill()
    {
        var steps = new ScriptedSteps { OpenPolls = int.MaxValue, PartialVolumeOnCancel = 0.0004m };
        await using var host = await OrchestrationHost.StartAsync(steps);

        var outcome = await OrchestrationHost.RunToCompletionAsync(
            host, Buy(new OrderPolling(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1))), Timeout);

        Assert.Equal(OrderStatus.PartiallyExecuted, outcome.Status);
        Assert.Equal(1, steps.Count(nameof(IOrderExecutionSteps.CancelOrderAsync)));
        Assert.Equal(1, steps.Count(nameof(IOrderExecutionSteps.ApplyFillToPositionAsync)));
    }

    [Fact]
    public async Task Run_CancelNeverSettles_FiveMoreLooksThenCompletesLeavingOrderOpen()
    {
        var steps = new ScriptedSteps { OpenPolls = int.MaxValue, CancelNeverSettles = true };
        await using var host = await OrchestrationHost.StartAsync(steps);
        var polling = new OrderPolling(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300));

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, Buy(polling), Timeout);

        // Looks: those before the deadline, the one after the cancel, then the five more it is allowed.
        var beforeCancel = steps.Count(nameof(IOrderExecutionSteps.GetOrderStateAsync)) - 1 - polling.CancelSettleLooks;
        Assert.Equal(OrderStatus.Submitted, outcome.Status);
        Assert.StartsWith("cancel_unsettled", outcome.Error, StringComparison.Ordinal);
        Assert.True(beforeCancel >= 1, $"{beforeCancel} looks before the deadline");
        Assert.Equal(1, steps.Count(nameof(IOrderExecutionSteps.CancelOrderAsync)));
        Assert.Equal(1, steps.Count(nameof(IOrderExecutionSteps.RecordUnsettledCancelAsync)));
        Assert.Equal(0, steps.Count(nameof(IOrderExecutionSteps.RecordOrderResultAsync)));
        Assert.Equal(0, steps.Count(nameof(IOrderExecutionSteps.ApplyFillToPositionAsync)));
        Assert.Equal(1, steps.Count(nameof(IOrderExecutionSteps.SendNotificationAsync)));
    }

    [Fact]
    public async Task Run_ExchangeRejects_RecordsFailedWithoutPollingOrRetry()
    {
        var steps = new ScriptedSteps { RejectWith = "insufficient_funds_bid" };
        await using var host = await OrchestrationHost.StartAsync(steps);

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, Buy(), Timeout);

        Assert.Equal(OrderStatus.Failed, outcome.Status);
        Assert.Equal("insufficient_funds_bid", outcome.Error);
        Assert.Equal(1, steps.Count(nameof(IOrderExecutionSteps.SubmitOrderAsync)));
        Assert.Equal(0, steps.Count(nameof(IOrderExecutionSteps.GetOrderStateAsync)));
        Assert.Equal(0, steps.Count(nameof(IOrderExecutionSteps.ApplyFillToPositionAsync)));
    }

    [Fact]
    public async Task Run_SubmitFailsTransiently_RetriesThroughActivityPolicy()
    {
        var steps = new ScriptedSteps { TransientSubmitFailures = 2 };
        await using var host = await OrchestrationHost.StartAsync(steps);

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, Buy(), Timeout);

        Assert.Equal(OrderStatus.Executed, outcome.Status);
        Assert.Equal(3, steps.Count(nameof(IOrderExecutionSteps.SubmitOrderAsync)));
    }

    [Fact]
    public async Task Run_AnotherOrderInFlight_FailsWithoutRetrying()
    {
        var steps = new ScriptedSteps { OrderInFlight = true };
        await using var host = await OrchestrationHost.StartAsync(steps);
        var input = Buy();
        var instanceId = BitcoinAutoTrading.Functions.Trading.ExecuteOrderOrchestrator.InstanceIdFor(input.Instruction.Market);

        await host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(BitcoinAutoTrading.Functions.Trading.ExecuteOrderOrchestrator), input, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId));
        using var cts = new CancellationTokenSource(Timeout);
        var metadata = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        Assert.Equal(1, steps.Count(nameof(IOrderExecutionSteps.CreateOrderRecordAsync)));
        Assert.Equal(0, steps.Count(nameof(IOrderExecutionSteps.SubmitOrderAsync)));
    }

    /// <summary>Scripted steps: counts calls, fails or delays as told. Not a stand-in for the real steps, which have their own tests.</summary>
    private sealed class ScriptedSteps : IOrderExecutionSteps
    {
        private readonly ConcurrentDictionary<string, int> _calls = new();
        private int _polls;
        private bool _cancelled;

        public int OpenPolls { get; init; }
        public decimal PartialVolumeOnCancel { get; init; }
        public string? RejectWith { get; init; }
        public int TransientSubmitFailures { get; init; }
        public bool OrderInFlight { get; init; }
        public bool CancelNeverSettles { get; init; }
        public ConcurrentBag<RecordOrderResultInput> Recorded { get; } = [];

        public int Count(string step) => _calls.GetValueOrDefault(step);

        private int Hit(string step) => _calls.AddOrUpdate(step, 1, (_, n) => n + 1);

        public Task<long> CreateOrderRecordAsync(CreateOrderRecordInput input, CancellationToken cancellationToken = default)
        {
            Hit(nameof(CreateOrderRecordAsync));
            if (OrderInFlight)
            {
                throw new OrderAlreadyInFlightException(input.Instruction.Market);
            }
            return Task.FromResult(42L);
        }

        public Task<SubmitOrderResult> SubmitOrderAsync(long orderId, CancellationToken cancellationToken = default)
        {
            var attempt = Hit(nameof(SubmitOrderAsync));
            if (attempt <= TransientSubmitFailures)
            {
                throw new ExchangeUnavailableException("simulated 503");
            }
            return Task.FromResult(RejectWith is null ? SubmitOrderResult.Ok("uuid-1") : SubmitOrderResult.Rejected(RejectWith));
        }

        public Task<OrderStateSnapshot> GetOrderStateAsync(long orderId, CancellationToken cancellationToken = default)
        {
            Hit(nameof(GetOrderStateAsync));
            if (_cancelled && CancelNeverSettles)
            {
                return Task.FromResult(new OrderStateSnapshot(true, false, false, 0, 0, 0));
            }
            if (_cancelled)
            {
                return Task.FromResult(new OrderStateSnapshot(true, true, true, PartialVolumeOnCancel, PartialVolumeOnCancel * 100_000_000m, 1m));
            }
            return Task.FromResult(Interlocked.Increment(ref _polls) <= OpenPolls
                ? new OrderStateSnapshot(true, false, false, 0, 0, 0)
                : new OrderStateSnapshot(true, true, false, 0.001m, 99_950m, 49.975m));
        }

        public Task CancelOrderAsync(long orderId, CancellationToken cancellationToken = default)
        {
            Hit(nameof(CancelOrderAsync));
            _cancelled = true;
            return Task.CompletedTask;
        }

        public Task RecordOrderResultAsync(RecordOrderResultInput input, CancellationToken cancellationToken = default)
        {
            Hit(nameof(RecordOrderResultAsync));
            Recorded.Add(input);
            return Task.CompletedTask;
        }

        public Task RecordUnsettledCancelAsync(UnsettledCancelInput input, CancellationToken cancellationToken = default)
        {
            Hit(nameof(RecordUnsettledCancelAsync));
            return Task.CompletedTask;
        }

        public Task<bool> ApplyFillToPositionAsync(long orderId, CancellationToken cancellationToken = default)
        {
            Hit(nameof(ApplyFillToPositionAsync));
            return Task.FromResult(true);
        }

        public Task SendNotificationAsync(OrderOutcome outcome, CancellationToken cancellationToken = default)
        {
            Hit(nameof(SendNotificationAsync));
            return Task.CompletedTask;
        }
    }
}
