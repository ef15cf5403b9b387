using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Trading;

/// <summary>
/// Finishes orders a lost orchestration left behind (crash, purged history): any order still PENDING or SUBMITTED
/// longer than the poll deadline, whose market has no live orchestration, is looked up at the exchange by uuid or
/// identifier, cancelled if still open, recorded, and its fill applied; a final order whose fill was never applied gets
/// it applied. All through the same repeat-safe steps, so a late orchestration and this run never count a fill twice.
/// </summary>
public sealed partial class OpenOrderReconciler(
    IOrderRepository orders,
    IOrderExecutionSteps steps,
    ITradeLedger ledger,
    DurableClientAccessor clients,
    IOptions<OrdersOptions> options,
    TimeProvider timeProvider,
    ILogger<OpenOrderReconciler> logger)
{
    /// <summary>Returns how many orders were brought to a final state or had their fill applied.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var olderThan = timeProvider.GetUtcNow() - options.Value.PollTimeout;
        var stale = await orders.ListStaleNonTerminalAsync(olderThan, cancellationToken).ConfigureAwait(false);
        var finished = 0;
        foreach (var order in stale)
        {
            var instanceId = ExecuteOrderOrchestrator.InstanceIdFor(order.Market);
            if (await DurableOrderStarter.IsLiveAsync(clients.Required, instanceId, cancellationToken).ConfigureAwait(false))
            {
                // Its orchestration is still working on it (or on the market): leave the order to it.
                continue;
            }

            var state = await steps.GetOrderStateAsync(order.Id, cancellationToken).ConfigureAwait(false);
            if (!state.IsFinal)
            {
                await steps.CancelOrderAsync(order.Id, cancellationToken).ConfigureAwait(false);
                state = await steps.GetOrderStateAsync(order.Id, cancellationToken).ConfigureAwait(false);
                if (!state.IsFinal)
                {
                    LogStillOpen(logger, order.Id);
                    continue;
                }
            }

            await steps.RecordOrderResultAsync(new RecordOrderResultInput(order.Id, state), cancellationToken).ConfigureAwait(false);
            var stored = await orders.GetByIdAsync(order.Id, cancellationToken).ConfigureAwait(false) ?? order;
            if (stored.ExecutedVolume > 0)
            {
                await steps.ApplyFillToPositionAsync(order.Id, cancellationToken).ConfigureAwait(false);
            }
            await steps.SendNotificationAsync(new OrderOutcome(
                order.Id, order.Identifier, stored.Status, stored.ExecutedVolume, stored.ExecutedFundsKrw, stored.Error), cancellationToken)
                .ConfigureAwait(false);
            LogReconciled(logger, order.Id, stored.Status.ToDbValue());
            finished++;
        }

        // A fill recorded (TX2) but never applied (TX3) because the process stopped in between and the orchestration was lost.
        foreach (var orderId in await ledger.ListUnappliedFillsAsync(olderThan, cancellationToken).ConfigureAwait(false))
        {
            var order = await orders.GetByIdAsync(orderId, cancellationToken).ConfigureAwait(false);
            if (order is null
                || await DurableOrderStarter.IsLiveAsync(clients.Required, ExecuteOrderOrchestrator.InstanceIdFor(order.Market), cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            if (await steps.ApplyFillToPositionAsync(orderId, cancellationToken).ConfigureAwait(false))
            {
                LogReconciled(logger, orderId, "fill applied");
                finished++;
            }
        }
        return finished;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} is still open at the exchange after a cancel; next run retries")]
    private static partial void LogStillOpen(ILogger logger, long orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} reconciled as {Status}")]
    private static partial void LogReconciled(ILogger logger, long orderId, string status);
}
