using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using Microsoft.DurableTask;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// Registers the real <see cref="ExecuteOrderOrchestrator"/> and the eight <see cref="OrderActivities"/> steps with a
/// Durable in-process test host, as the Functions worker binds them by name. Shared by the integration tests and the
/// benchmarks (linked into that project), so there is one copy of the wiring.
/// </summary>
public static class OrderOrchestrationRegistry
{
    /// <param name="activities">Called per activity execution, so a caller can hand out a fresh instance each time as the worker does.</param>
    public static DurableTaskRegistry AddOrderOrchestration(this DurableTaskRegistry registry, Func<OrderActivities> activities)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(activities);
        registry.AddOrchestratorFunc<ExecuteOrderInput, OrderOutcome>(
            nameof(ExecuteOrderOrchestrator), (context, input) => ExecuteOrderOrchestrator.RunAsync(context, input));
        registry.AddActivityFunc<CreateOrderRecordInput, long>(
            OrderActivityNames.CreateOrderRecord, (_, input) => activities().CreateOrderRecord(input, CancellationToken.None));
        registry.AddActivityFunc<long, SubmitOrderResult>(
            OrderActivityNames.SubmitOrder, (_, id) => activities().SubmitOrder(id, CancellationToken.None));
        registry.AddActivityFunc<long, OrderStateSnapshot>(
            OrderActivityNames.GetOrderState, (_, id) => activities().GetOrderState(id, CancellationToken.None));
        registry.AddActivityFunc<long>(
            OrderActivityNames.CancelOrder, (_, id) => activities().CancelOrder(id, CancellationToken.None));
        registry.AddActivityFunc<RecordOrderResultInput>(
            OrderActivityNames.RecordOrderResult, (_, input) => activities().RecordOrderResult(input, CancellationToken.None));
        registry.AddActivityFunc<UnsettledCancelInput>(
            OrderActivityNames.RecordUnsettledCancel, (_, input) => activities().RecordUnsettledCancel(input, CancellationToken.None));
        registry.AddActivityFunc<long, bool>(
            OrderActivityNames.ApplyFillToPosition, (_, id) => activities().ApplyFillToPosition(id, CancellationToken.None));
        registry.AddActivityFunc<OrderOutcome>(
            OrderActivityNames.SendNotification, (_, outcome) => activities().SendNotification(outcome, CancellationToken.None));
        return registry;
    }
}
