using BitcoinAutoTrading.Core.Signals;

namespace BitcoinAutoTrading.Core.Trading;

/// <summary>
/// The hand-off from a stored, actionable signal to trading (SPEC §2.1 GenerateSignal): risk checks, sizing, and the
/// order start. Returns the note stored in <c>trading_signals.execution_note</c> (e.g. "order started", "skipped: order in flight",
/// "refused: LOW_CONFIDENCE").
/// </summary>
public interface ISignalExecutor
{
    Task<string> ExecuteAsync(long signalId, SignalResult signal, CancellationToken cancellationToken = default);
}
