namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>A stored backtest (<c>backtest_runs</c>): its headline numbers and, as JSON, its settings, options and report.</summary>
public sealed record BacktestRunRecord
{
    public long Id { get; init; }
    public required string Market { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required string Provider { get; init; }
    public required string SettingsJson { get; init; }
    public required string OptionsJson { get; init; }
    public required string ReportJson { get; init; }
    public required decimal TotalReturnPct { get; init; }
    public required decimal BuyAndHoldReturnPct { get; init; }
    public required decimal MaxDrawdownPct { get; init; }
    public required decimal Sharpe { get; init; }
    public required int TradeCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Stores and reads backtest runs.</summary>
public interface IBacktestRunRepository
{
    Task<long> InsertAsync(BacktestRunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Newest first, without the report (the list stays small).</summary>
    Task<IReadOnlyList<BacktestRunRecord>> ListAsync(int limit, CancellationToken cancellationToken = default);

    Task<BacktestRunRecord?> GetAsync(long id, CancellationToken cancellationToken = default);
}
