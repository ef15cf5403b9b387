using BitcoinAutoTrading.Core.Trading;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Trading;

/// <summary>
/// Executes one order as short, repeatable activity steps (SPEC §6). No step holds a database connection while the
/// exchange works: each activity opens, writes and closes; the waits are durable timers. Deterministic: the clock,
/// ids and waits come from the context.
/// </summary>
public static class ExecuteOrderOrchestrator
{
    /// <summary>One instance per market: the starter checks it, the partial unique index on orders is the second guard.</summary>
    public static string InstanceIdFor(string market) => $"order-{market}";

    // Transient failures (timeouts, 5xx, a dropped connection) retry; every activity is safe to repeat. Another order
    // already in flight for the market is not transient: retrying cannot succeed while that order runs.
    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromSeconds(30))
    {
        HandleFailure = failure => !failure.IsCausedBy<OrderAlreadyInFlightException>(),
    });

    [Function(nameof(ExecuteOrderOrchestrator))]
    public static Task<OrderOutcome> Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<ExecuteOrderInput>()
            ?? throw new InvalidOperationException("ExecuteOrderOrchestrator needs an ExecuteOrderInput.");
        return RunAsync(context, input);
    }

    public static async Task<OrderOutcome> RunAsync(TaskOrchestrationContext context, ExecuteOrderInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var logger = context.CreateReplaySafeLogger(nameof(ExecuteOrderOrchestrator));

        // The identifier is the client order id Upbit deduplicates on; NewGuid is replay-safe.
        var identifier = $"bat-{context.NewGuid():N}";
        var orderId = await context.CallActivityAsync<long>(
            OrderActivityNames.CreateOrderRecord, new CreateOrderRecordInput(input.Instruction, identifier), ActivityRetry);

        OrderStateSnapshot state;
        var submit = await TrySubmitAsync(context, orderId);
        if (submit is { Accepted: false, Error: not null })
        {
            logger.LogWarning("Order {OrderId} rejected by the exchange: {Error}", orderId, submit.Error);
            state = OrderStateSnapshot.NotFound(submit.Error);
        }
        else
        {
            // Accepted, or unknown after retries (the exchange may have it): polling by identifier settles which.
            state = await PollUntilFinalAsync(context, orderId, input.Polling);
        }

        OrderOutcome outcome;
        if (!state.IsFinal)
        {
            // The deadline cancel has not settled: end cleanly and leave the order SUBMITTED for SyncOpenOrders, which
            // finishes it once the exchange does. A failed orchestration would help no one, and the trace (risk event and
            // notification) keeps the open order from silently holding up the market's stop-loss.
            var looks = input.Polling.CancelSettleLooks;
            logger.LogWarning("Order {OrderId}: cancel not settled after {Looks} looks; left open for SyncOpenOrders", orderId, looks);
            await context.CallActivityAsync(OrderActivityNames.RecordUnsettledCancel, new UnsettledCancelInput(orderId, looks), ActivityRetry);
            outcome = new OrderOutcome(orderId, identifier, OrderStatus.Submitted, state.ExecutedVolume, state.ExecutedFundsKrw,
                OrderOutcome.UnsettledCancelError(looks));
        }
        else
        {
            await context.CallActivityAsync(OrderActivityNames.RecordOrderResult, new RecordOrderResultInput(orderId, state), ActivityRetry);
            if (state.ExecutedVolume > 0)
            {
                // False on a replayed or repeated step: position_applied_at makes the fill count once.
                await context.CallActivityAsync<bool>(OrderActivityNames.ApplyFillToPosition, orderId, ActivityRetry);
            }
            outcome = new OrderOutcome(orderId, identifier, state.ToStatus(), state.ExecutedVolume, state.ExecutedFundsKrw, state.Error);
        }

        try
        {
            await context.CallActivityAsync(OrderActivityNames.SendNotification, outcome);
        }
        catch (TaskFailedException ex)
        {
            // Notifications are best effort (SPEC §8.4): the trade is already recorded.
            logger.LogWarning("Notification for order {OrderId} failed: {Error}", orderId, ex.FailureDetails.ErrorMessage);
        }

        logger.LogInformation("Order {OrderId} finished as {Status}", orderId, outcome.Status);
        return outcome;
    }

    private static async Task<SubmitOrderResult?> TrySubmitAsync(TaskOrchestrationContext context, long orderId)
    {
        try
        {
            return await context.CallActivityAsync<SubmitOrderResult>(OrderActivityNames.SubmitOrder, orderId, ActivityRetry);
        }
        catch (TaskFailedException)
        {
            return null;
        }
    }

    private static async Task<OrderStateSnapshot> PollUntilFinalAsync(TaskOrchestrationContext context, long orderId, OrderPolling polling)
    {
        var deadline = context.CurrentUtcDateTime + polling.Deadline;
        var wait = polling.InitialInterval;
        while (true)
        {
            var state = await context.CallActivityAsync<OrderStateSnapshot>(OrderActivityNames.GetOrderState, orderId, ActivityRetry);
            if (state.IsFinal)
            {
                return state;
            }

            var now = context.CurrentUtcDateTime;
            if (now >= deadline)
            {
                await context.CallActivityAsync(OrderActivityNames.CancelOrder, orderId, ActivityRetry);
                return await PollUntilCancelSettlesAsync(context, orderId, polling);
            }

            var wakeAt = now + wait < deadline ? now + wait : deadline;
            await context.CreateTimer(wakeAt, CancellationToken.None);
            wait = polling.Next(wait);
        }
    }

    /// <summary>
    /// Upbit accepts a cancel before it takes effect: looks again with durable timers (the same back-off, bounded) until
    /// the order is final. Returns the last state, which is still open when the exchange never settled it.
    /// </summary>
    private static async Task<OrderStateSnapshot> PollUntilCancelSettlesAsync(TaskOrchestrationContext context, long orderId, OrderPolling polling)
    {
        var state = await context.CallActivityAsync<OrderStateSnapshot>(OrderActivityNames.GetOrderState, orderId, ActivityRetry);
        var wait = polling.InitialInterval;
        for (var look = 1; look <= polling.CancelSettleLooks && !state.IsFinal; look++)
        {
            await context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None);
            wait = polling.Next(wait);
            state = await context.CallActivityAsync<OrderStateSnapshot>(OrderActivityNames.GetOrderState, orderId, ActivityRetry);
        }
        return state;
    }
}
