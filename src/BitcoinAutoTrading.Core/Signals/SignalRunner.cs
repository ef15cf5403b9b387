using System.Diagnostics;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Observability;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Providers;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Signals;

/// <summary>
/// One GenerateSignal run: runtime settings → pipeline → stored signal → hand-off to trading when actionable, with what
/// became of it stored as the signal's execution note.
/// </summary>
public sealed partial class SignalRunner(
    SignalPipeline pipeline,
    ISignalRepository signals,
    IRiskSettingsProvider settingsProvider,
    ISignalExecutor executor,
    INotifier notifier,
    AiPriceTable prices,
    ILogger<SignalRunner> logger) : ISignalRunner
{
    public const string HoldNote = "hold";
    public const string FallbackNote = "not executed: fallback";

    public async Task<SignalRunResult> RunAsync(string market, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(market);
        using var span = BatTelemetry.ActivitySource.StartActivity("signal.run");
        span?.SetTag("market", market);
        var settings = await settingsProvider.GetAsync(cancellationToken).ConfigureAwait(false);
        var request = new SignalRequest(
            market, new DecisionThresholds(settings.SignalBuyThreshold, settings.SignalSellThreshold), settings.AiModel,
            AiDailyBudgetUsd: settings.AiDailyBudgetUsd);

        var inputs = await pipeline.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        // The shadow asks its provider at the same time as the primary, from the same inputs; it is awaited only after
        // the primary has been stored and handed off, so its latency or failure never touches the primary.
        var shadowTask = string.Equals(settings.AiShadowModel, AiShadow.None, StringComparison.OrdinalIgnoreCase)
            ? null
            : RunShadowAsync(inputs, settings.AiShadowModel, cancellationToken);
        var result = await pipeline.RunPrimaryAsync(inputs, cancellationToken).ConfigureAwait(false);
        var id = await signals.InsertAsync(ToNewSignal(result), cancellationToken).ConfigureAwait(false);
        RecordTelemetry(result, settings.AiModel);

        var note = await HandOffAsync(id, result, cancellationToken).ConfigureAwait(false);
        await signals.SetExecutionNoteAsync(id, note, cancellationToken).ConfigureAwait(false);
        var shadowId = shadowTask is null ? null : await StoreShadowAsync(shadowTask, id, settings.AiShadowModel).ConfigureAwait(false);
        span?.SetTag("signal.id", id);
        span?.SetTag("signal.type", result.SignalType);
        span?.SetTag("signal.provider", result.Provider);
        span?.SetTag("signal.fallback", result.IsFallback);
        span?.SetTag("ai.model", result.ModelName);
        span?.SetTag("ai.tokens.input", result.InputTokens);
        span?.SetTag("ai.tokens.output", result.OutputTokens);
        span?.SetTag("ai.tokens.thinking", result.ThinkingTokens);
        span?.SetTag("outcome", note);
        LogSignal(logger, id, result.SignalType, result.ActionScore, result.Confidence, result.Provider, note);
        return new SignalRunResult(id, result, note) { ShadowSignalId = shadowId };
    }

    public const string ShadowNote = "shadow: never traded";

    private async Task<SignalResult?> RunShadowAsync(SignalInputs inputs, string shadowModel, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.RunShadowAsync(inputs, shadowModel, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogShadowFailed(logger, ex, shadowModel);
            return null;
        }
    }

    private async Task<long?> StoreShadowAsync(Task<SignalResult?> shadowTask, long primaryId, string shadowModel)
    {
        try
        {
            if (await shadowTask.ConfigureAwait(false) is not { } shadow)
            {
                return null;
            }
            // Not cancellable: the primary is stored, and the shadow's tokens must be counted against the budget.
            var shadowId = await signals.InsertAsync(ToNewSignal(shadow) with { ShadowOfId = primaryId, ExecutionNote = ShadowNote }, CancellationToken.None)
                .ConfigureAwait(false);
            RecordTelemetry(shadow, shadowModel);
            return shadowId;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogShadowFailed(logger, ex, shadowModel);
            return null;
        }
    }

    private async Task<string> HandOffAsync(long id, SignalResult result, CancellationToken cancellationToken)
    {
        if (result.Action == SignalAction.Hold)
        {
            return HoldNote;
        }
        if (!result.IsActionable)
        {
            return FallbackNote;
        }
        try
        {
            return await executor.ExecuteAsync(id, result, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not rethrown: the job's retry would run the pipeline again and hand a second signal to trading when the
            // first may already have started an order. The note and the alert say what happened instead.
            LogHandOffFailed(logger, ex, id);
            await notifier.NotifyAsync(
                $"Signal {id} ({result.SignalType}) could not be handed to trading: {ex.GetType().Name}",
                NotificationSeverity.Critical, CancellationToken.None).ConfigureAwait(false);
            return $"not executed: error {ex.GetType().Name}";
        }
    }

    /// <summary>The pipeline's decision as a <c>trading_signals</c> row.</summary>
    public static NewSignal ToNewSignal(SignalResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new NewSignal
        {
            Market = result.Market,
            MarketDataId = result.MarketDataId,
            Type = ToSignalType(result.Action),
            ActionScore = result.ActionScore,
            Confidence = result.Confidence,
            MarketRegime = result.RegimeName,
            ReasoningJson = result.ReasoningJson,
            Provider = ToProviderKind(result.Provider),
            ModelName = result.ModelName,
            IsFallback = result.IsFallback,
            InputTokens = result.InputTokens,
            OutputTokens = result.OutputTokens,
            ThinkingTokens = result.ThinkingTokens,
            LatencyMs = result.LatencyMs,
            PromptChars = result.PromptChars,
            PriceAtSignal = result.LastPrice > 0 ? result.LastPrice : null,
            CreatedAt = result.GeneratedAt,
            Provenance = result.Provenance,
            AiSkipReason = result.AiSkipReason,
            IsShadow = result.IsShadow,
        };
    }

    public static SignalType ToSignalType(SignalAction action) => action switch
    {
        SignalAction.Buy => SignalType.Buy,
        SignalAction.Sell => SignalType.Sell,
        SignalAction.Hold => SignalType.Hold,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown signal action."),
    };

    public static SignalProviderKind ToProviderKind(string provider) => provider switch
    {
        SignalProviderNames.Gemini => SignalProviderKind.Gemini,
        SignalProviderNames.Technical => SignalProviderKind.Technical,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown signal provider."),
    };

    private void RecordTelemetry(SignalResult result, string configuredModel)
    {
        BatTelemetry.Signals.Add(1, new TagList { { "type", result.SignalType }, { "provider", result.Provider }, { "shadow", result.IsShadow } });
        // Tokens are counted whenever a model spent them, also when its answer was unusable and the fallback stood in.
        var model = result.ModelName ?? configuredModel;
        AddTokens("input", result.InputTokens, model);
        AddTokens("output", result.OutputTokens, model);
        AddTokens("thinking", result.ThinkingTokens, model);
        if (prices.EstimateUsd(model, result.InputTokens ?? 0, result.OutputTokens ?? 0, result.ThinkingTokens ?? 0) is > 0 and var cost)
        {
            BatTelemetry.AiCostUsd.Add((double)cost, new TagList { { "model", model } });
        }
    }

    private static void AddTokens(string kind, int? tokens, string model)
    {
        if (tokens is > 0)
        {
            BatTelemetry.AiTokens.Add(tokens.Value, new TagList { { "kind", kind }, { "model", model } });
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Signal {SignalId}: {Type} score {Score} confidence {Confidence} from {Provider}; {Note}")]
    private static partial void LogSignal(
        ILogger logger, long signalId, string type, decimal score, decimal confidence, string provider, string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow {ShadowModel} gave no signal; the primary is unaffected")]
    private static partial void LogShadowFailed(ILogger logger, Exception exception, string shadowModel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signal {SignalId} could not be handed to trading")]
    private static partial void LogHandOffFailed(ILogger logger, Exception exception, long signalId);
}
