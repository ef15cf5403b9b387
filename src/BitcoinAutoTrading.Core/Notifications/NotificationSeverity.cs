namespace BitcoinAutoTrading.Core.Notifications;

public enum NotificationSeverity
{
    Info = 1,
    Warning = 2,
    Critical = 3,
}
