namespace BitcoinAutoTrading.Core.Trading;

/// <summary>Why an order was placed; stored lower-snake in <c>orders.reason</c>.</summary>
public enum OrderReason
{
    Signal = 1,
    StopLoss = 2,
    TakeProfit = 3,
    TrailingStop = 4,
    Manual = 5,
}
