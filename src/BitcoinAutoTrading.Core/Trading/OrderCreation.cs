namespace BitcoinAutoTrading.Core.Trading;

/// <summary>The order stored under an identifier, and whether this call created it (false: it already existed).</summary>
public sealed record OrderCreation(Order Order, bool Created);
