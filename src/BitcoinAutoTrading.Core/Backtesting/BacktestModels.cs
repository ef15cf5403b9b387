using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>
/// How the backtester fills and how often it runs the protective exits. Defaults follow production: exits every minute,
/// Upbit's 0.05 % fee, the paper ledger's 1,000,000 KRW; slippage moves each fill against us from the next minute's open.
/// </summary>
public sealed record BacktestOptions
{
    public decimal InitialKrw { get; init; } = 1_000_000m;

    public decimal FeeRate { get; init; } = PositionSizing.FeeRate;

    /// <summary>Where a fill's price starts (before slippage): the next minute's open by default.</summary>
    public BacktestFill FillAt { get; init; } = BacktestFill.NextOpen;

    /// <summary>Basis points added to a buy's and taken from a sell's fill price (0–1,000).</summary>
    public decimal SlippageBps { get; init; } = 5m;

    /// <summary>CollectMarketData's interval: 1 in production, 5 in the end-to-end scenario.</summary>
    public int ExitCheckEveryMinutes { get; init; } = 1;

    /// <summary>RollDailyStats' time of day in UTC (00:05 KST).</summary>
    public TimeSpan DailyRollUtc { get; init; } = new(15, 5, 0);

    /// <summary>
    /// EvaluateSignals' interval on the UTC clock (<c>0 0 */4 * * *</c>): a signal's 4 h outcome counts towards the
    /// hit-rate gate from the first run after its horizon.
    /// </summary>
    public TimeSpan EvaluateSignalsEvery { get; init; } = TimeSpan.FromHours(4);
}

/// <summary>The fill price model.</summary>
public enum BacktestFill
{
    /// <summary>The open of the minute after the decision (SPEC §14): what a market order placed then meets.</summary>
    NextOpen,

    /// <summary>
    /// The ticker at the decision — the last closed minute's close — as the paper exchange fills (SPEC §8.3), for
    /// comparing a replay with paper trading order by order.
    /// </summary>
    Ticker,
}

/// <summary>A fill of the backtest, as the orders table would have it.</summary>
public sealed record BacktestOrder(
    DateTimeOffset At,
    OrderSide Side,
    OrderReason Reason,
    decimal Price,
    decimal Volume,
    decimal FundsKrw,
    decimal FeeKrw,
    decimal RealizedPnlKrw,
    long? SignalId);

/// <summary>A refusal or trigger the live app would have stored in <c>risk_events</c>; a refusal names its rule (<see cref="EntryRefusal.Reason"/>).</summary>
public sealed record BacktestRiskEvent(DateTimeOffset At, RiskEventType Type, decimal Trigger, decimal Threshold, long? SignalId, string? Reason = null);

/// <summary>What one signal decided and what became of it (the execution note live trading stores).</summary>
public sealed record BacktestSignalOutcome(DateTimeOffset At, SignalAction Action, decimal ActionScore, decimal Confidence, string Note);

/// <summary>Everything a run produced; the report's metrics are computed from it.</summary>
public sealed record BacktestRun(
    string Market,
    RiskSettings Settings,
    BacktestOptions Options,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<BacktestOrder> Orders,
    IReadOnlyList<BacktestRiskEvent> RiskEvents,
    IReadOnlyList<BacktestSignalOutcome> Signals,
    long[] EquityTicks,
    double[] Equity,
    double[] Price,
    int ExposedMinutes,
    decimal FinalKrw,
    decimal FinalCoin,
    decimal FinalEquityKrw,
    decimal FirstOpen,
    decimal LastClose);
