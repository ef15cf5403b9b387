using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Trading;

/// <summary>
/// Finishes orders a lost orchestration left behind (crash, purged history): any order still PENDING or SUBMITTED
/// longer than the poll deadline, whose market has no live orchestration, is looked up at the exchange by uuid or
/// identifier, cancelled if still open, recorded, and its fill applied — through the same repeat-safe steps, so a
/// late orchestration and this run can never count a fill twice.
/// </summary>
public sealed partial class OpenOrderReconciler(
    IOrderRepository orders,
    IOrderExecutionSteps steps,
    DurableClientAccessor clients,
    IOptions<OrdersOptions> options,
    TimeProvider timeProvider,
    ILogger<OpenOrderReconciler> logger)
{
    /// <summary>Returns how many orders were brought to a final state.</summary>
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
        return finished;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} is still open at the exchange after a cancel; next run retries")]
    private static partial void LogStillOpen(ILogger logger, long orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} reconciled as {Status}")]
    private static partial void LogReconciled(ILogger logger, long orderId, string status);
}
