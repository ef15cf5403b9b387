using System.Text.Json.Nodes;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Budget;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Prompt;
using BitcoinAutoTrading.Core.Signals.Providers;
using BitcoinAutoTrading.Core.Signals.Sampling;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Signals;

/// <summary>
/// SPEC §4: sample stored minutes (one SQL round trip) and analyse 1h–1w candles, ask the model if one is configured
/// and the spend cap and quota allow it (else, or when it fails, the technical provider), then decide and score
/// confidence in code. Stores nothing. A run may also ask a shadow provider from the same inputs (issue #16).
/// </summary>
public sealed partial class SignalPipeline(
    IMarketSampler sampler,
    MultiTimeframeAnalyzer analyzer,
    IEnumerable<ISignalProvider> providers,
    AiBudgetGuard budget,
    TimeProvider timeProvider,
    ILogger<SignalPipeline> logger)
{
    private readonly IReadOnlyList<ISignalProvider> _providers = providers.ToList();

    public async Task<SignalResult> RunAsync(SignalRequest request, CancellationToken cancellationToken = default)
    {
        var inputs = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        return await RunPrimaryAsync(inputs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's primary answer: the configured model within the spend cap, else the technical provider.</summary>
    public async Task<SignalResult> RunPrimaryAsync(SignalInputs inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return (await DecideAsync(inputs, inputs.Request.Model, useModel: true, shadow: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Samples, analyses and builds the prompt once for a run.</summary>
    public async Task<SignalInputs> PrepareAsync(SignalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Market);
        var thresholds = request.Thresholds ?? DecisionThresholds.Default;
        var asOf = timeProvider.GetUtcNow();

        var sampleTask = sampler.SampleAsync(request.Market, asOf, cancellationToken);
        var analysisTask = analyzer.AnalyzeAsync(request.Market, cancellationToken);
        await Task.WhenAll(sampleTask, analysisTask).ConfigureAwait(false);
        var sample = await sampleTask.ConfigureAwait(false);
        var analysis = await analysisTask.ConfigureAwait(false);

        // The stored minute is the price the signal saw; without stored data the freshest hourly close stands in.
        var lastPrice = sample.Latest?.Close ?? (decimal)analysis.Timeframes[0].Close;
        var prompt = ModelProvider() is null
            ? null
            : PromptBuilder.Build(sample, analysis, thresholds, lastPrice, asOf, request.Portfolio);
        return new SignalInputs(request, sample, analysis, thresholds, lastPrice, asOf, prompt);
    }

    /// <summary>
    /// The shadow's answer from the run's inputs (<c>ai_shadow_model</c>: technical or a model name), never actionable;
    /// null when it cannot run (no model configured, or the spend cap or quota refuses the call).
    /// </summary>
    public async Task<SignalResult?> RunShadowAsync(SignalInputs inputs, string shadowModel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrWhiteSpace(shadowModel);
        if (string.Equals(shadowModel, AiShadow.Technical, StringComparison.OrdinalIgnoreCase))
        {
            return await DecideAsync(inputs, null, useModel: false, shadow: true, cancellationToken).ConfigureAwait(false);
        }
        return ModelProvider() is null
            ? null
            : await DecideAsync(inputs, shadowModel, useModel: true, shadow: true, cancellationToken).ConfigureAwait(false);
    }

    private ISignalProvider? ModelProvider() =>
        _providers.FirstOrDefault(p => p.Name != SignalProviderNames.Technical && p.IsConfigured);

    private async Task<SignalResult?> DecideAsync(
        SignalInputs inputs, string? modelName, bool useModel, bool shadow, CancellationToken cancellationToken)
    {
        var request = inputs.Request;
        var technical = _providers.FirstOrDefault(p => p.Name == SignalProviderNames.Technical) ?? new TechnicalSignalProvider();
        var model = useModel ? ModelProvider() : null;
        var technicalContext = new SignalContext(request.Market, inputs.Sample, inputs.Analysis, "", modelName);

        string? skipReason = null;
        if (model is not null && modelName is not null && request.AiDailyBudgetUsd is { } dailyBudget)
        {
            var permit = await budget.CheckAsync(modelName, dailyBudget, cancellationToken).ConfigureAwait(false);
            if (!permit.Allowed)
            {
                skipReason = permit.Reason;
                LogSkipped(logger, modelName, shadow, permit.Reason);
                if (shadow)
                {
                    return null;
                }
                model = null;
            }
        }

        ProviderSignal answer;
        string providerName;
        string? fallbackError = null;
        int? promptChars = null;
        SignalProvenance? provenance = null;
        if (model is null)
        {
            answer = await technical.GetSignalAsync(technicalContext, cancellationToken).ConfigureAwait(false);
            providerName = technical.Name;
        }
        else
        {
            var prompt = inputs.Prompt ?? PromptBuilder.Build(
                inputs.Sample, inputs.Analysis, inputs.Thresholds, inputs.LastPrice, inputs.AsOf, request.Portfolio);
            promptChars = prompt.Length;
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogPrompt(logger, model.Name, prompt.Length, PromptRedactor.Mask(prompt));
            }
            var context = new SignalContext(request.Market, inputs.Sample, inputs.Analysis, prompt, modelName);
            try
            {
                answer = await model.GetSignalAsync(context, cancellationToken).ConfigureAwait(false);
                providerName = model.Name;
                provenance = SignalProvenance.Create(prompt, answer.Provenance);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Any model failure, including malformed output, falls back to the deterministic provider: it never trades on a guess.
                fallbackError = ex.Message;
                LogFallback(logger, model.Name, ex.Message);
                var providerError = ex as SignalProviderException;
                provenance = SignalProvenance.Create(prompt, providerError?.Provenance);
                if (providerError is { DailyQuotaExhausted: true })
                {
                    await BlockModelForTodayAsync(modelName ?? providerError.Usage.Model, ex.Message, cancellationToken).ConfigureAwait(false);
                }
                var fallback = await technical.GetSignalAsync(context, cancellationToken).ConfigureAwait(false);
                answer = fallback with { Usage = providerError?.Usage ?? ProviderUsage.None };
                providerName = technical.Name;
            }
        }

        var thresholds = inputs.Thresholds;
        var analysis = inputs.Analysis;
        var (score, action, timeframeAgreement, indicatorAgreement, confidence) =
            SignalScoring.Score(answer.ActionScore, analysis, thresholds);

        var reasoning = new JsonObject
        {
            ["source"] = model is null || fallbackError is not null ? SignalProviderNames.Technical : model.Name,
            ["reasoning"] = JsonNode.Parse(answer.ReasoningJson),
            ["confluence"] = Math.Round(analysis.ConfluenceScore, 4),
            ["bias"] = analysis.Bias.ToWire(),
            ["timeframe_agreement"] = Math.Round(timeframeAgreement, 4),
            ["indicator_agreement"] = Math.Round(indicatorAgreement, 4),
            // Unrounded, with the thresholds in force: with the stored raw response these replay the decision exactly.
            ["decision_inputs"] = new JsonObject
            {
                ["buy_threshold"] = thresholds.Buy,
                ["sell_threshold"] = thresholds.Sell,
                ["timeframe_agreement"] = timeframeAgreement,
                ["indicator_agreement"] = indicatorAgreement,
            },
        };
        if (answer.ModelSignal is { } modelSignal)
        {
            reasoning["model_signal"] = modelSignal.ToString().ToUpperInvariant();
        }
        if (fallbackError is not null)
        {
            reasoning["fallback_from"] = model!.Name;
            reasoning["fallback_error"] = fallbackError;
        }
        if (skipReason is not null)
        {
            reasoning["ai_skipped"] = skipReason;
        }
        if (shadow)
        {
            reasoning["shadow"] = true;
        }

        return new SignalResult(
            request.Market,
            inputs.Sample.Latest?.Id,
            action,
            score,
            confidence,
            answer.Regime,
            reasoning.ToJsonString(),
            providerName,
            answer.Usage.Model,
            fallbackError is not null,
            answer.Usage.InputTokens,
            answer.Usage.OutputTokens,
            answer.Usage.ThinkingTokens,
            answer.Usage.LatencyMs,
            promptChars,
            inputs.LastPrice,
            timeframeAgreement,
            indicatorAgreement,
            inputs.Sample.BarCount,
            inputs.AsOf)
        {
            Provenance = provenance,
            AiSkipReason = skipReason,
            IsShadow = shadow,
        };
    }

    private async Task BlockModelForTodayAsync(string? model, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return;
        }
        try
        {
            await budget.BlockForTodayAsync(model, reason, cancellationToken).ConfigureAwait(false);
            LogQuotaBlocked(logger, model);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The run still stores its fallback signal; the next run meets the same 429 without retrying against it.
            LogQuotaBlockFailed(logger, ex, model);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Prompt for {Provider} ({Chars} chars, amounts masked):\n{Prompt}")]
    private static partial void LogPrompt(ILogger logger, string provider, int chars, string prompt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signal provider {Provider} failed; using the technical fallback: {Error}")]
    private static partial void LogFallback(ILogger logger, string provider, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} not asked (shadow: {Shadow}): {Reason}")]
    private static partial void LogSkipped(ILogger logger, string model, bool shadow, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Per-day quota of {Model} exhausted: no calls to it until the UTC day ends")]
    private static partial void LogQuotaBlocked(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store the per-day quota block of {Model}")]
    private static partial void LogQuotaBlockFailed(ILogger logger, Exception exception, string model);
}
