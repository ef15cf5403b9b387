namespace BitcoinAutoTrading.Core.Trading;

/// <summary>One KST trading day: starting equity (the base of the daily loss limit), results, and the halt flag.</summary>
public sealed record DailyStats(
    DateOnly TradeDate,
    decimal StartingEquityKrw,
    decimal? EndingEquityKrw,
    decimal RealizedPnlKrw,
    int TradeCount,
    int WinCount,
    int LossCount,
    bool IsHalted,
    string? HaltReason,
    DateTimeOffset? ClosedAt,
    DateTimeOffset UpdatedAt);
