using BitcoinAutoTrading.Core.Trading;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Trading;

/// <summary>
/// Starts <see cref="ExecuteOrderOrchestrator"/> as instance <c>order-{market}</c> (SPEC §6). Guards, in order: one start
/// at a time in this process, no live instance for the market, no order row still in flight (a lost orchestration
/// leaves one for SyncOpenOrders); the partial unique index on orders catches whatever races past these.
/// </summary>
public sealed partial class DurableOrderStarter(
    DurableClientAccessor clients,
    IOrderRepository orders,
    IOptions<OrdersOptions> options,
    ILogger<DurableOrderStarter> logger) : IOrderStarter, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<OrderStartResult> StartAsync(OrderInstruction instruction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var client = clients.Required;
        var instanceId = ExecuteOrderOrchestrator.InstanceIdFor(instruction.Market);
        var inFlight = new OrderStartResult(OrderStartStatus.AlreadyInFlight, instanceId);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await IsLiveAsync(client, instanceId, cancellationToken).ConfigureAwait(false))
            {
                LogInFlight(logger, instanceId, "orchestration running");
                return inFlight;
            }
            if (await orders.GetActiveAsync(instruction.Market, cancellationToken).ConfigureAwait(false) is { } active)
            {
                LogInFlight(logger, instanceId, $"order {active.Id} still {active.Status.ToDbValue()}");
                return inFlight;
            }

            var input = new ExecuteOrderInput(instruction, options.Value.ToPolling());
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(
                    nameof(ExecuteOrderOrchestrator), input, StartOptions(instanceId), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Another process may have started the instance a moment ago; the host refuses a second live one.
                if (await IsLiveAsync(client, instanceId, cancellationToken).ConfigureAwait(false))
                {
                    LogInFlight(logger, instanceId, "started concurrently");
                    return inFlight;
                }
                throw;
            }
            LogStarted(logger, instanceId, instruction.Side.ToString(), instruction.Reason.ToString());
            return new OrderStartResult(OrderStartStatus.Started, instanceId);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Asks the backend to refuse the instance id while a live instance has it (the cross-process guard). Without dedupe
    /// statuses the isolated worker's start request lets a second instance with the same id through
    /// (azure-functions-durable-extension#3043, fixed by honouring these statuses in #3316).
    /// </summary>
    internal static StartOrchestrationOptions StartOptions(string instanceId) =>
        new StartOrchestrationOptions(instanceId).WithDedupeStatuses(
            OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended);

    internal static async Task<bool> IsLiveAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        return instance?.RuntimeStatus is OrchestrationRuntimeStatus.Running
            or OrchestrationRuntimeStatus.Pending
            or OrchestrationRuntimeStatus.Suspended;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order orchestration {InstanceId} started: {Side} ({Reason})")]
    private static partial void LogStarted(ILogger logger, string instanceId, string side, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order orchestration {InstanceId} not started: {Why}")]
    private static partial void LogInFlight(ILogger logger, string instanceId, string why);
}
