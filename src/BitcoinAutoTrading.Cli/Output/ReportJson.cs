using System.Text.Json;
using System.Text.Json.Serialization;
using BitcoinAutoTrading.Core.Backtesting;

namespace BitcoinAutoTrading.Cli.Output;

/// <summary>The report as JSON (camelCase, as the HTTP API): metrics, settings, options, every order and a thinned equity curve.</summary>
internal static class ReportJson
{
    public const int CurvePoints = 1_000;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(BacktestReport report, BacktestRun run) => JsonSerializer.Serialize(new
    {
        report,
        settings = run.Settings,
        options = run.Options,
        orders = run.Orders,
        equityCurve = Curve(run),
    }, Options);

    public static BacktestRunRecord ToRecord(BacktestReport report, BacktestRun run, BacktestProvider provider, string reportJson) => new()
    {
        Market = report.Market,
        From = report.From,
        To = report.To,
        Provider = provider == BacktestProvider.Recorded ? "recorded" : "technical",
        SettingsJson = JsonSerializer.Serialize(run.Settings, Options),
        OptionsJson = JsonSerializer.Serialize(run.Options, Options),
        ReportJson = reportJson,
        TotalReturnPct = report.TotalReturnPct,
        BuyAndHoldReturnPct = report.BuyAndHoldReturnPct,
        MaxDrawdownPct = report.MaxDrawdownPct,
        Sharpe = report.Sharpe,
        TradeCount = report.TradeCount,
    };

    /// <summary>At most <see cref="CurvePoints"/> evenly spaced points (always the last): enough to draw, small to store.</summary>
    public static IReadOnlyList<object> Curve(BacktestRun run)
    {
        var step = Math.Max(1, run.Equity.Length / CurvePoints);
        var points = new List<object>();
        for (var i = 0; i < run.Equity.Length; i += step)
        {
            points.Add(new { at = new DateTimeOffset(run.EquityTicks[i], TimeSpan.Zero), equity = Math.Round(run.Equity[i], 0), price = run.Price[i] });
        }
        if ((run.Equity.Length - 1) % step != 0)
        {
            var last = run.Equity.Length - 1;
            points.Add(new { at = new DateTimeOffset(run.EquityTicks[last], TimeSpan.Zero), equity = Math.Round(run.Equity[last], 0), price = run.Price[last] });
        }
        return points;
    }
}
