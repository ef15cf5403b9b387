namespace BitcoinAutoTrading.Core.Trading;

/// <summary>
/// Life of an order record (SPEC §3): PENDING → SUBMITTED → EXECUTED | PARTIALLY_EXECUTED | CANCELLED | FAILED.
/// Stored as the upper-snake names in <c>orders.status</c>.
/// </summary>
public enum OrderStatus
{
    Pending = 1,
    Submitted = 2,
    Executed = 3,
    PartiallyExecuted = 4,
    Cancelled = 5,
    Failed = 6,
}

public static class OrderStatusExtensions
{
    public static bool IsTerminal(this OrderStatus status) =>
        status is not (OrderStatus.Pending or OrderStatus.Submitted);

    public static string ToDbValue(this OrderStatus status) => status switch
    {
        OrderStatus.Pending => "PENDING",
        OrderStatus.Submitted => "SUBMITTED",
        OrderStatus.Executed => "EXECUTED",
        OrderStatus.PartiallyExecuted => "PARTIALLY_EXECUTED",
        OrderStatus.Cancelled => "CANCELLED",
        OrderStatus.Failed => "FAILED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown order status."),
    };

    public static bool TryParseDbValue(string? value, out OrderStatus status)
    {
        status = value switch
        {
            "PENDING" => OrderStatus.Pending,
            "SUBMITTED" => OrderStatus.Submitted,
            "EXECUTED" => OrderStatus.Executed,
            "PARTIALLY_EXECUTED" => OrderStatus.PartiallyExecuted,
            "CANCELLED" => OrderStatus.Cancelled,
            "FAILED" => OrderStatus.Failed,
            _ => 0,
        };
        return status != 0;
    }
}
