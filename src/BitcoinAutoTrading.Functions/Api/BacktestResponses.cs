using System.Text.Json;
using BitcoinAutoTrading.Core.Backtesting;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>One stored backtest's headline numbers.</summary>
public sealed record BacktestSummaryResponse(
    long Id, string Market, DateTimeOffset From, DateTimeOffset To, string Provider, decimal TotalReturnPct, decimal BuyAndHoldReturnPct,
    decimal MaxDrawdownPct, decimal Sharpe, int TradeCount, DateTimeOffset CreatedAt)
{
    public static BacktestSummaryResponse Of(BacktestRunRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.Market, r.From, r.To, r.Provider, r.TotalReturnPct, r.BuyAndHoldReturnPct, r.MaxDrawdownPct, r.Sharpe, r.TradeCount, r.CreatedAt);
    }
}

/// <summary>Stored backtests, newest first.</summary>
public sealed record BacktestListResponse(int Limit, IReadOnlyList<BacktestSummaryResponse> Items);

/// <summary>One stored backtest with the settings and options it ran with and its full report (as <c>bat backtest</c> wrote it).</summary>
public sealed record BacktestResponse(BacktestSummaryResponse Summary, JsonElement Settings, JsonElement Options, JsonElement Report)
{
    public static BacktestResponse Of(BacktestRunRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(BacktestSummaryResponse.Of(r), Parse(r.SettingsJson), Parse(r.OptionsJson), Parse(r.ReportJson));
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
