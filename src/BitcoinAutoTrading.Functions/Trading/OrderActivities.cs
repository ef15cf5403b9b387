using BitcoinAutoTrading.Core.Trading;
using Microsoft.Azure.Functions.Worker;

namespace BitcoinAutoTrading.Functions.Trading;

/// <summary>The activity steps of <see cref="ExecuteOrderOrchestrator"/>; each delegates to Core and is safe to repeat.</summary>
public sealed class OrderActivities(IOrderExecutionSteps steps)
{
    [Function(OrderActivityNames.CreateOrderRecord)]
    public Task<long> CreateOrderRecord([ActivityTrigger] CreateOrderRecordInput input, CancellationToken cancellationToken) =>
        steps.CreateOrderRecordAsync(input, cancellationToken);

    [Function(OrderActivityNames.SubmitOrder)]
    public Task<SubmitOrderResult> SubmitOrder([ActivityTrigger] long orderId, CancellationToken cancellationToken) =>
        steps.SubmitOrderAsync(orderId, cancellationToken);

    [Function(OrderActivityNames.GetOrderState)]
    public Task<OrderStateSnapshot> GetOrderState([ActivityTrigger] long orderId, CancellationToken cancellationToken) =>
        steps.GetOrderStateAsync(orderId, cancellationToken);

    [Function(OrderActivityNames.CancelOrder)]
    public Task CancelOrder([ActivityTrigger] long orderId, CancellationToken cancellationToken) =>
        steps.CancelOrderAsync(orderId, cancellationToken);

    [Function(OrderActivityNames.RecordOrderResult)]
    public Task RecordOrderResult([ActivityTrigger] RecordOrderResultInput input, CancellationToken cancellationToken) =>
        steps.RecordOrderResultAsync(input, cancellationToken);

    [Function(OrderActivityNames.RecordUnsettledCancel)]
    public Task RecordUnsettledCancel([ActivityTrigger] UnsettledCancelInput input, CancellationToken cancellationToken) =>
        steps.RecordUnsettledCancelAsync(input, cancellationToken);

    [Function(OrderActivityNames.ApplyFillToPosition)]
    public Task<bool> ApplyFillToPosition([ActivityTrigger] long orderId, CancellationToken cancellationToken) =>
        steps.ApplyFillToPositionAsync(orderId, cancellationToken);

    [Function(OrderActivityNames.SendNotification)]
    public Task SendNotification([ActivityTrigger] OrderOutcome outcome, CancellationToken cancellationToken) =>
        steps.SendNotificationAsync(outcome, cancellationToken);
}
