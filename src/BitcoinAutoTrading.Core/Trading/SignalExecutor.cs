using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Trading;

/// <summary>
/// GenerateSignal's hand-off (SPEC §2.1): an actionable signal that risk approves starts the order orchestration.
/// The note it returns is stored on the signal, so every signal explains what became of it.
/// </summary>
public sealed partial class SignalExecutor(
    EntryRiskEvaluator evaluator,
    IOrderRepository orders,
    IOrderStarter orderStarter,
    ILogger<SignalExecutor> logger) : ISignalExecutor
{
    public const string HoldNote = "hold";
    public const string StartedNote = "order started";
    public const string InFlightNote = "skipped: order in flight";
    public const string FallbackNote = "skipped: fallback signal";

    public async Task<string> ExecuteAsync(long signalId, SignalResult signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (signal.Action == SignalAction.Hold)
        {
            return HoldNote;
        }
        if (signal.IsFallback)
        {
            return FallbackNote;
        }

        // Checked before the risk rules so a signal during an order is recorded as skipped, not as a cooldown refusal.
        if (await orders.GetActiveAsync(signal.Market, cancellationToken).ConfigureAwait(false) is not null)
        {
            return InFlightNote;
        }

        var buy = signal.Action == SignalAction.Buy;
        var decision = buy
            ? await evaluator.EvaluateBuyAsync(signal.Market, signal.Confidence, signalId, cancellationToken).ConfigureAwait(false)
            : await evaluator.EvaluateSellAsync(signal.Market, signalId, cancellationToken).ConfigureAwait(false);
        if (!decision.Approved)
        {
            LogNotTraded(signalId, signal.SignalType, decision.Note);
            return decision.Note;
        }

        var instruction = buy
            ? new OrderInstruction(signal.Market, OrderSide.Buy, OrderType.Price, OrderReason.Signal, Krw: decision.Krw, SignalId: signalId)
            : new OrderInstruction(signal.Market, OrderSide.Sell, OrderType.Market, OrderReason.Signal, Volume: decision.Volume, SignalId: signalId);
        var result = await orderStarter.StartAsync(instruction, cancellationToken).ConfigureAwait(false);
        return result.Status == OrderStartStatus.Started ? StartedNote : InFlightNote;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signal {SignalId} ({Type}) not traded: {Note}")]
    private partial void LogNotTraded(long signalId, string type, string note);
}
