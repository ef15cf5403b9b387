using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Prompt;

namespace BitcoinAutoTrading.Core.Signals;

/// <summary>
/// One signal run. The caller passes the runtime settings (thresholds, <c>ai_model</c> from system_config) and,
/// if it wants the model to see it, the current position. With both <see cref="Model"/> and
/// <see cref="AiDailyBudgetUsd"/> set, every model call first passes the spend cap and quota gate.
/// </summary>
public sealed record SignalRequest(
    string Market,
    DecisionThresholds? Thresholds = null,
    string? Model = null,
    PortfolioSnapshot? Portfolio = null,
    decimal? AiDailyBudgetUsd = null);
