using BitcoinAutoTrading.Core.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BitcoinAutoTrading.Functions.Trading;

/// <summary>Every 5 minutes: finishes orders a lost orchestration left non-terminal (SPEC §2.1).</summary>
public sealed class SyncOpenOrdersFunction(IJobRunner jobRunner, OpenOrderReconciler reconciler, DurableClientAccessor clients)
{
    [Function(nameof(SyncOpenOrders))]
    public Task SyncOpenOrders(
        [TimerTrigger("%SyncOpenOrdersSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        clients.Use(client);
        return jobRunner.RunAsync(nameof(SyncOpenOrders), timer.IsPastDue, ct => reconciler.ReconcileAsync(ct), cancellationToken);
    }
}
