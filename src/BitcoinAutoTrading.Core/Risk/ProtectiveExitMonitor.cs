using System.Globalization;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// Runs every minute after collection (SPEC §5.3). Deliberately ignores <c>trading_enabled</c> and the daily halt:
/// halting stops new risk, it must never stop a losing position from being closed (R8).
/// </summary>
public sealed partial class ProtectiveExitMonitor(
    IRiskSettingsProvider settingsProvider,
    IPositionRepository positions,
    IOrderRepository orders,
    IOrderStarter orderStarter,
    IExchange exchange,
    PortfolioValuation valuation,
    IDailyLossGuard dailyLossGuard,
    RiskEventRecorder recorder,
    INotifier notifier,
    ILogger<ProtectiveExitMonitor> logger) : IProtectiveExitMonitor
{
    public async Task CheckAsync(string market, decimal lastPrice, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(market);
        await CheckExitsAsync(market, lastPrice, cancellationToken).ConfigureAwait(false);
        // After the exits, so a failure here can never delay capital protection.
        await dailyLossGuard.CheckDailyLossAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckExitsAsync(string market, decimal lastPrice, CancellationToken cancellationToken)
    {
        var position = await positions.GetAsync(market, cancellationToken).ConfigureAwait(false);
        if (position is not { IsOpen: true } || lastPrice <= 0)
        {
            return;
        }

        var storedPeak = position.PeakPriceSinceEntry ?? position.AvgEntryPrice;
        if (lastPrice > storedPeak || position.PeakPriceSinceEntry is null)
        {
            await positions.UpdatePeakAsync(market, Math.Max(lastPrice, storedPeak), cancellationToken).ConfigureAwait(false);
        }
        var peak = Math.Max(storedPeak, lastPrice);

        var settings = await settingsProvider.GetAsync(cancellationToken).ConfigureAwait(false);
        if (ExitRules.Evaluate(position.AvgEntryPrice, peak, lastPrice, settings) is not { } trigger)
        {
            return;
        }

        // A sell in flight is this exit from a minute ago (or a signal sell): the next minute judges again, and the risk
        // event is not repeated every minute meanwhile. An entry in flight would add to a position that must be closed:
        // it is cancelled and the exit retried next minute, with a risk event so the deferral never goes unseen.
        if (await orders.GetActiveAsync(market, cancellationToken).ConfigureAwait(false) is { } active)
        {
            if (active.Side == OrderSide.Buy)
            {
                await DeferForEntryAsync(trigger, active, position, lastPrice, cancellationToken).ConfigureAwait(false);
                return;
            }
            LogExitWaits(trigger.Reason, market, active.Id);
            return;
        }

        var holdings = await valuation.ReadAsync(market, cancellationToken).ConfigureAwait(false);
        var volume = EntryRules.SellableVolume(position, holdings);
        if (volume * lastPrice < KrwOrderRules.MinimumOrderKrw)
        {
            LogExitBelowMinimum(trigger.Reason, market, volume);
            return;
        }

        var result = await orderStarter.StartAsync(
            new OrderInstruction(market, OrderSide.Sell, OrderType.Market, trigger.Reason, Volume: volume),
            cancellationToken).ConfigureAwait(false);
        if (result.Status != OrderStartStatus.Started)
        {
            LogExitWaits(trigger.Reason, market, null);
            return;
        }

        await recorder.RecordAsync(
            trigger.EventType, trigger.TriggerPct, trigger.ThresholdPct, $"sell started ({result.InstanceId})",
            details: new { market, price = lastPrice, avgEntryPrice = position.AvgEntryPrice, peak, volume },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await notifier.NotifyAsync(
            string.Create(CultureInfo.InvariantCulture,
                $"{trigger.EventType.ToWire()} on {market}: price {lastPrice:0.########} vs entry {position.AvgEntryPrice:0.########} ({trigger.TriggerPct}% against {trigger.ThresholdPct}%); selling {volume} {market}."),
            NotificationSeverity.Warning, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeferForEntryAsync(
        ExitTrigger trigger, Order entry, Position position, decimal lastPrice, CancellationToken cancellationToken)
    {
        var cancelRequested = false;
        if (entry.ExchangeUuid is { } uuid)
        {
            try
            {
                // Its orchestration (or SyncOpenOrders) sees the cancel, records the fill and frees the market for the exit.
                await exchange.CancelOrderAsync(uuid, cancellationToken).ConfigureAwait(false);
                cancelRequested = true;
            }
            catch (ExchangeRejectedException ex)
            {
                // Already done or cancelled at the exchange: its orchestration records it, and the next minute exits.
                LogEntryCancelRefused(trigger.Reason, entry.Market, entry.Id, ex.ErrorName);
            }
        }
        var action = cancelRequested
            ? $"exit deferred: entry order {entry.Id} in flight, cancel requested; retried next minute"
            : $"exit deferred: entry order {entry.Id} in flight; retried next minute";
        await recorder.RecordAsync(
            trigger.EventType, trigger.TriggerPct, trigger.ThresholdPct, action,
            details: new { market = entry.Market, price = lastPrice, avgEntryPrice = position.AvgEntryPrice, entryOrderId = entry.Id, entryStatus = entry.Status.ToDbValue() },
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason} on {Market}: cancelling entry order {OrderId} was refused ({ErrorName})")]
    private partial void LogEntryCancelRefused(OrderReason reason, string market, long orderId, string errorName);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Reason} on {Market} waits: order {OrderId} is in flight")]
    private partial void LogExitWaits(OrderReason reason, string market, long? orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason} on {Market} cannot sell {Volume}: under the exchange minimum")]
    private partial void LogExitBelowMinimum(OrderReason reason, string market, decimal volume);
}
