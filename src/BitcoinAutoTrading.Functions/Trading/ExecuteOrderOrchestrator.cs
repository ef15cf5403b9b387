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

        await context.CallActivityAsync(OrderActivityNames.RecordOrderResult, new RecordOrderResultInput(orderId, state), ActivityRetry);
        if (state.ExecutedVolume > 0)
        {
            // False on a replayed or repeated step: position_applied_at makes the fill count once.
            await context.CallActivityAsync<bool>(OrderActivityNames.ApplyFillToPosition, orderId, ActivityRetry);
        }

        var outcome = new OrderOutcome(orderId, identifier, state.ToStatus(), state.ExecutedVolume, state.ExecutedFundsKrw, state.Error);
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
                return await context.CallActivityAsync<OrderStateSnapshot>(OrderActivityNames.GetOrderState, orderId, ActivityRetry);
            }

            var wakeAt = now + wait < deadline ? now + wait : deadline;
            await context.CreateTimer(wakeAt, CancellationToken.None);
            wait = polling.Next(wait);
        }
    }
}
