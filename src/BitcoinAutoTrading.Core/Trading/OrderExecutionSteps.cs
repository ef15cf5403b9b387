using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Observability;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Trading;

/// <summary>
/// The activity steps of SPEC §6 over the order store, the exchange and the trade ledger. Every step reads the order
/// afresh and decides from what is stored, so running it twice (a retry, a replay, a racing reconciler) gives the
/// same result and never a second exchange order or a second position change. No step holds a database connection
/// while it waits on the exchange.
/// </summary>
public sealed partial class OrderExecutionSteps(
    IOrderRepository orders,
    IDailyStatsRepository dailyStats,
    IExchange exchange,
    ITradeLedger ledger,
    IDailyLossGuard dailyLossGuard,
    IRiskEventRepository riskEvents,
    INotifier notifier,
    TimeProvider timeProvider,
    ILogger<OrderExecutionSteps> logger) : IOrderExecutionSteps
{
    private const string UniqueViolation = "23505";

    public async Task<long> CreateOrderRecordAsync(CreateOrderRecordInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = BatTelemetry.ActivitySource.StartActivity("order.create_record");
        var instruction = input.Instruction;
        var order = new NewOrder
        {
            SignalId = instruction.SignalId,
            Market = instruction.Market,
            Side = instruction.Side,
            OrdType = instruction.Type,
            RequestedKrw = instruction.Krw,
            RequestedVolume = instruction.Volume,
            LimitPrice = instruction.LimitPrice,
            Identifier = input.Identifier,
            Reason = instruction.Reason,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        try
        {
            var creation = await orders.CreateAsync(order, cancellationToken).ConfigureAwait(false);
            span?.SetTag("order.id", creation.Order.Id);
            return creation.Order.Id;
        }
        catch (DbException ex) when (ex.SqlState == UniqueViolation)
        {
            // The identifier is the insert's arbiter, so the only unique index left to trip is one-active-per-market.
            throw new OrderAlreadyInFlightException(instruction.Market);
        }
    }

    public async Task<SubmitOrderResult> SubmitOrderAsync(long orderId, CancellationToken cancellationToken = default)
    {
        using var span = BatTelemetry.ActivitySource.StartActivity("order.submit");
        span?.SetTag("order.id", orderId);
        var order = await LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order.ExchangeUuid is { } known)
        {
            return SubmitOrderResult.Ok(known);
        }
        if (order.Status.IsTerminal())
        {
            // Finished without ever reaching the exchange (e.g. failed by the reconciler): never place it now.
            return SubmitOrderResult.Rejected(order.Error ?? $"order already {order.Status.ToDbValue()}");
        }

        // A previous run may have placed it and lost the answer: PlaceOrderAsync looks the identifier up first (the
        // IExchange contract) and returns the order it finds without sending anything, so no second lookup here.
        ExchangeOrder placed;
        try
        {
            placed = await exchange.PlaceOrderAsync(ToRequest(order), cancellationToken).ConfigureAwait(false);
        }
        catch (ExchangeRejectedException ex)
        {
            LogRejected(logger, orderId, ex.StatusCode, ex.ErrorName);
            return SubmitOrderResult.Rejected(ex.ErrorName);
        }
        catch (OrderValidationException ex)
        {
            LogRejected(logger, orderId, 0, ex.Message);
            return SubmitOrderResult.Rejected($"invalid_order: {ex.Message}");
        }

        await StoreUuidAsync(order, placed.Uuid, cancellationToken).ConfigureAwait(false);
        return SubmitOrderResult.Ok(placed.Uuid);
    }

    public async Task<OrderStateSnapshot> GetOrderStateAsync(long orderId, CancellationToken cancellationToken = default)
    {
        using var span = BatTelemetry.ActivitySource.StartActivity("order.get_state");
        span?.SetTag("order.id", orderId);
        var order = await LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
        var placed = await FindAtExchangeAsync(order, cancellationToken).ConfigureAwait(false);
        if (placed is null)
        {
            // Only asked after the submit step has finished or given up, so an unknown identifier was never placed.
            return OrderStateSnapshot.NotFound(order.Error ?? "order_not_found: the exchange has no order with this identifier");
        }
        if (order.ExchangeUuid is null && !order.Status.IsTerminal())
        {
            await StoreUuidAsync(order, placed.Uuid, cancellationToken).ConfigureAwait(false);
        }
        return ToSnapshot(placed);
    }

    public async Task CancelOrderAsync(long orderId, CancellationToken cancellationToken = default)
    {
        using var span = BatTelemetry.ActivitySource.StartActivity("order.cancel");
        span?.SetTag("order.id", orderId);
        var order = await LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
        var placed = await FindAtExchangeAsync(order, cancellationToken).ConfigureAwait(false);
        if (placed is null || placed.IsFinal)
        {
            // Nothing open to cancel: never placed, already done, or cancelled by an earlier run of this step.
            return;
        }
        try
        {
            await exchange.CancelOrderAsync(placed.Uuid, cancellationToken).ConfigureAwait(false);
        }
        catch (ExchangeRejectedException)
        {
            // The order may have finished between the look and the cancel; only an order still open is a failure.
            var now = await exchange.GetOrderByUuidAsync(placed.Uuid, cancellationToken).ConfigureAwait(false);
            if (now is { IsFinal: false })
            {
                throw;
            }
        }
    }

    public async Task RecordUnsettledCancelAsync(UnsettledCancelInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = BatTelemetry.ActivitySource.StartActivity("order.record_unsettled_cancel");
        span?.SetTag("order.id", input.OrderId);
        var order = await LoadAsync(input.OrderId, cancellationToken).ConfigureAwait(false);
        if (order.Status.IsTerminal())
        {
            // Finished meanwhile (SyncOpenOrders, or the exchange settled before a repeat of this step): nothing is open.
            return;
        }
        // A repeat of this step (activity retry, replay) leaves no second event.
        var recent = await riskEvents.ListAsync(50, RiskEventType.SystemError, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (recent.Any(e => e.OrderId == order.Id))
        {
            return;
        }
        await riskEvents.InsertAsync(new NewRiskEvent
        {
            Type = RiskEventType.SystemError,
            OrderId = order.Id,
            ActionTaken = "cancel not settled; order left open for SyncOpenOrders",
            DetailsJson = JsonSerializer.Serialize(new { market = order.Market, identifier = order.Identifier, uuid = order.ExchangeUuid, looks = input.Looks }),
            CreatedAt = timeProvider.GetUtcNow(),
        }, cancellationToken).ConfigureAwait(false);
        LogUnsettled(logger, order.Id, order.Market, input.Looks);
    }

    public async Task RecordOrderResultAsync(RecordOrderResultInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = BatTelemetry.ActivitySource.StartActivity("order.record_result");
        span?.SetTag("order.id", input.OrderId);
        var state = input.State;
        var status = state.ToStatus();
        if (!status.IsTerminal())
        {
            throw new InvalidOperationException($"Order {input.OrderId} is still open at the exchange; only a final state is recorded.");
        }

        var order = await LoadAsync(input.OrderId, cancellationToken).ConfigureAwait(false);
        decimal? avgPrice = state.ExecutedVolume > 0
            ? Math.Round(state.ExecutedFundsKrw / state.ExecutedVolume, FillAccounting.Scale)
            : null;
        var error = status == OrderStatus.Failed ? state.Error : null;
        var outcome = await orders.RecordResultAsync(
            input.OrderId, status, state.ExecutedVolume, state.ExecutedFundsKrw, avgPrice, state.PaidFee, error,
            timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case OrderUpdateOutcome.Applied:
                BatTelemetry.Orders.Add(1,
                    new KeyValuePair<string, object?>("side", order.Side == OrderSide.Buy ? "BUY" : "SELL"),
                    new KeyValuePair<string, object?>("outcome", status.ToDbValue()));
                LogRecorded(logger, input.OrderId, status.ToDbValue(), state.ExecutedVolume);
                break;
            case OrderUpdateOutcome.AlreadyApplied:
                break;
            case OrderUpdateOutcome.Rejected:
                // Someone (the reconciler) recorded a final result first; the stored one stands and is what gets applied.
                LogAlreadyFinal(logger, input.OrderId, status.ToDbValue());
                break;
            default:
                throw new InvalidOperationException($"Order {input.OrderId} does not exist.");
        }
    }

    public async Task<bool> ApplyFillToPositionAsync(long orderId, CancellationToken cancellationToken = default)
    {
        using var span = BatTelemetry.ActivitySource.StartActivity("order.apply_fill");
        span?.SetTag("order.id", orderId);
        var order = await LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order.PositionAppliedAt is not null || order.ExecutedVolume <= 0)
        {
            return false;
        }
        if (!order.Status.IsTerminal())
        {
            throw new InvalidOperationException($"Order {orderId} has no final result yet; its fill cannot be applied.");
        }

        var at = order.FinishedAt ?? timeProvider.GetUtcNow();
        var day = KstClock.TradingDay(at);
        // The day's starting equity needs the exchange, so it is read before the transaction, and only for a new day.
        var startingEquity = await dailyStats.GetAsync(day, cancellationToken).ConfigureAwait(false) is { } stats
            ? stats.StartingEquityKrw
            : await EquityAsync(order.Market, cancellationToken).ConfigureAwait(false);
        var applied = await ledger.ApplyFillAsync(orderId, at, startingEquity, cancellationToken).ConfigureAwait(false);
        if (applied is not null)
        {
            LogApplied(logger, orderId, applied.Position.Quantity, applied.RealizedPnlKrw);
            if (order.Side == OrderSide.Sell)
            {
                // A losing sell halts the day at once (SPEC §5.3) instead of at the next minute's exit check.
                await dailyLossGuard.CheckDailyLossAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        return applied is not null;
    }

    public async Task SendNotificationAsync(OrderOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        // A failed order, or one left open after an unsettled cancel, needs the trader's eye.
        var severity = outcome.Status is OrderStatus.Failed or OrderStatus.Submitted ? NotificationSeverity.Warning : NotificationSeverity.Info;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Order {outcome.OrderId} ({outcome.Identifier}) {outcome.Status.ToDbValue()}: volume {outcome.ExecutedVolume}, funds {outcome.ExecutedFundsKrw} KRW");
        if (outcome.Error is { } error)
        {
            message += $" — {error}";
        }
        try
        {
            await notifier.NotifyAsync(message, severity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Best effort (SPEC §8.4): the trade is recorded already; a notifier fault must not fail the orchestration.
            LogNotifyFailed(logger, outcome.OrderId, ex.GetType().Name);
        }
    }

    private async Task<Order> LoadAsync(long orderId, CancellationToken cancellationToken) =>
        await orders.GetByIdAsync(orderId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Order {orderId} does not exist.");

    private async Task<ExchangeOrder?> FindAtExchangeAsync(Order order, CancellationToken cancellationToken) =>
        order.ExchangeUuid is { } uuid
            ? await exchange.GetOrderByUuidAsync(uuid, cancellationToken).ConfigureAwait(false)
            : await exchange.GetOrderByIdentifierAsync(order.Identifier, cancellationToken).ConfigureAwait(false);

    private async Task StoreUuidAsync(Order order, string uuid, CancellationToken cancellationToken)
    {
        var outcome = await orders.MarkSubmittedAsync(order.Id, uuid, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (outcome is OrderUpdateOutcome.NotFound)
        {
            throw new InvalidOperationException($"Order {order.Id} does not exist.");
        }
        if (outcome is OrderUpdateOutcome.Rejected)
        {
            // Either it left PENDING (a reconciler finished it) or it has another uuid; the stored record stands.
            LogUuidNotStored(logger, order.Id);
        }
    }

    private async Task<decimal> EquityAsync(string market, CancellationToken cancellationToken)
    {
        var quote = market.Split('-')[0];
        var coin = market.Split('-')[^1];
        var balances = await exchange.GetBalancesAsync(cancellationToken).ConfigureAwait(false);
        var cash = balances.Where(b => b.Currency == quote).Sum(b => b.Total);
        var held = balances.Where(b => b.Currency == coin).Sum(b => b.Total);
        if (held == 0)
        {
            return cash;
        }
        var ticker = await exchange.GetTickerAsync(market, cancellationToken).ConfigureAwait(false);
        return Math.Round(cash + (held * ticker.TradePrice), FillAccounting.Scale);
    }

    private static OrderRequest ToRequest(Order order) => order.OrdType switch
    {
        OrderType.Price => new OrderRequest(order.Market, order.Side, order.OrdType, order.Identifier, Price: order.RequestedKrw),
        OrderType.Market => new OrderRequest(order.Market, order.Side, order.OrdType, order.Identifier, Volume: order.RequestedVolume),
        _ => new OrderRequest(order.Market, order.Side, order.OrdType, order.Identifier, Volume: order.RequestedVolume, Price: order.LimitPrice),
    };

    private static OrderStateSnapshot ToSnapshot(ExchangeOrder placed) => new(
        Found: true,
        IsFinal: placed.IsFinal,
        // An ending we do not recognise is final with what executed, like a cancel (SPEC §6).
        WasCancelled: placed.State is ExchangeOrderState.Cancelled or ExchangeOrderState.Unrecognized,
        placed.ExecutedVolume,
        placed.ExecutedFunds,
        placed.PaidFee,
        EndedWithOnlyDust: placed.EndedWithOnlyDust);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} refused by the exchange ({StatusCode} {ErrorName})")]
    private static partial void LogRejected(ILogger logger, long orderId, int statusCode, string errorName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} recorded as {Status} with volume {ExecutedVolume}")]
    private static partial void LogRecorded(ILogger logger, long orderId, string status, decimal executedVolume);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was already final; the stored result stands over {Status}")]
    private static partial void LogAlreadyFinal(ILogger logger, long orderId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} applied: position {Quantity}, realized {RealizedPnlKrw} KRW")]
    private static partial void LogApplied(ILogger logger, long orderId, decimal quantity, decimal realizedPnlKrw);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} on {Market}: the deadline cancel had not settled after {Looks} looks; left open for SyncOpenOrders")]
    private static partial void LogUnsettled(ILogger logger, long orderId, string market, int looks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification for order {OrderId} failed ({ErrorType})")]
    private static partial void LogNotifyFailed(ILogger logger, long orderId, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} is no longer PENDING; its exchange uuid was not stored again")]
    private static partial void LogUuidNotStored(ILogger logger, long orderId);
}
