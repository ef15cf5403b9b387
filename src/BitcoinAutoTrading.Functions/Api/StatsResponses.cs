using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Functions.Api;

public sealed record DailyStatsResponse(
    DateOnly TradeDate,
    decimal StartingEquityKrw,
    decimal? EndingEquityKrw,
    decimal RealizedPnlKrw,
    decimal? RealizedPnlPct,
    int TradeCount,
    int WinCount,
    int LossCount,
    bool IsHalted,
    string? HaltReason,
    DateTimeOffset? ClosedAt)
{
    public static DailyStatsResponse From(DailyStats d)
    {
        ArgumentNullException.ThrowIfNull(d);
        decimal? pnlPct = d.StartingEquityKrw > 0 ? Math.Round(d.RealizedPnlKrw / d.StartingEquityKrw * 100m, 4) : null;
        return new(d.TradeDate, d.StartingEquityKrw, d.EndingEquityKrw, d.RealizedPnlKrw, pnlPct, d.TradeCount, d.WinCount,
            d.LossCount, d.IsHalted, d.HaltReason, d.ClosedAt);
    }
}

/// <summary>KST days newest first; days without a row are absent.</summary>
public sealed record DailyStatsListResponse(int Days, IReadOnlyList<DailyStatsResponse> Items);
