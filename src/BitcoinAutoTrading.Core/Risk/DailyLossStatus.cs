namespace BitcoinAutoTrading.Core.Risk;

/// <summary>Today's (KST) realized loss as a percentage of the day's starting equity, against the limit.</summary>
public sealed record DailyLossStatus(bool IsHalted, decimal LossPct, decimal LimitPct);
