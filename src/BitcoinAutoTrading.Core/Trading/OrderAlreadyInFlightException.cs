namespace BitcoinAutoTrading.Core.Trading;

/// <summary>Another order of the market is still PENDING or SUBMITTED: at most one order is in flight per market (SPEC §6).</summary>
public sealed class OrderAlreadyInFlightException(string market)
    : Exception($"An order for {market} is already in flight.")
{
    public string Market { get; } = market;
}
