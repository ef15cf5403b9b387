namespace BitcoinAutoTrading.Core.Signals.Prompt;

/// <summary>What the trader holds, optionally given to the model; these amounts are masked whenever a prompt is logged.</summary>
public sealed record PortfolioSnapshot(decimal KrwAvailable, decimal Quantity, decimal? AverageEntryPrice);
