namespace BitcoinAutoTrading.Core.Trading;

public sealed record OrderStatusCount(OrderStatus Status, long Count);
