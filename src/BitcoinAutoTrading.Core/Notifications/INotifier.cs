namespace BitcoinAutoTrading.Core.Notifications;

/// <summary>
/// Tells the operator something happened (trade filled, stop-loss hit, job failed). Best effort by contract:
/// implementations never throw and return within a bounded time, so a notification can never fail a trade.
/// </summary>
public interface INotifier
{
    Task NotifyAsync(string message, NotificationSeverity severity, CancellationToken cancellationToken = default);
}
