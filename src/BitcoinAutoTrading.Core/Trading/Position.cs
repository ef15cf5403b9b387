namespace BitcoinAutoTrading.Core.Trading;

/// <summary>What we hold in one market, at what average cost, and the highest price since entry (for the trailing stop).</summary>
public sealed record Position(
    string Market,
    decimal Quantity,
    decimal AvgEntryPrice,
    decimal RealizedPnlKrw,
    decimal? PeakPriceSinceEntry,
    DateTimeOffset? OpenedAt,
    DateTimeOffset UpdatedAt)
{
    public bool IsOpen => Quantity > 0;
}
