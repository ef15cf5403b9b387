namespace BitcoinAutoTrading.Core.Signals;

/// <summary>How a signal turned out after one horizon: the later price, the change since the signal, and whether it was right.</summary>
public sealed record SignalEvaluation(decimal PriceAfter, decimal ChangePct, bool Correct, DateTimeOffset EvaluatedAt);
