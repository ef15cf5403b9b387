using System.Text.Json.Nodes;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Prompt;
using BitcoinAutoTrading.Core.Signals.Providers;
using BitcoinAutoTrading.Core.Signals.Sampling;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Signals;

/// <summary>
/// SPEC §4: sample stored minutes (one SQL round trip) and analyse 1h–1w candles, ask the model if one is configured
/// (else, or when it fails, the technical provider), then decide and score confidence in code. Stores nothing.
/// </summary>
public sealed partial class SignalPipeline(
    IMarketSampler sampler,
    MultiTimeframeAnalyzer analyzer,
    IEnumerable<ISignalProvider> providers,
    TimeProvider timeProvider,
    ILogger<SignalPipeline> logger)
{
    private readonly IReadOnlyList<ISignalProvider> _providers = providers.ToList();

    public async Task<SignalResult> RunAsync(SignalRequest request, CancellationToken cancellationToken = default)
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
        var technical = _providers.FirstOrDefault(p => p.Name == SignalProviderNames.Technical) ?? new TechnicalSignalProvider();
        var model = _providers.FirstOrDefault(p => p.Name != SignalProviderNames.Technical && p.IsConfigured);

        ProviderSignal answer;
        string providerName;
        string? fallbackError = null;
        int? promptChars = null;
        if (model is null)
        {
            answer = await technical.GetSignalAsync(
                new SignalContext(request.Market, sample, analysis, "", request.Model), cancellationToken).ConfigureAwait(false);
            providerName = technical.Name;
        }
        else
        {
            var prompt = PromptBuilder.Build(sample, analysis, thresholds, lastPrice, asOf, request.Portfolio);
            promptChars = prompt.Length;
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogPrompt(logger, model.Name, prompt.Length, PromptRedactor.Mask(prompt));
            }
            var context = new SignalContext(request.Market, sample, analysis, prompt, request.Model);
            try
            {
                answer = await model.GetSignalAsync(context, cancellationToken).ConfigureAwait(false);
                providerName = model.Name;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Any model failure, including malformed output, falls back to the deterministic provider: it never trades on a guess.
                fallbackError = ex.Message;
                LogFallback(logger, model.Name, ex.Message);
                var fallback = await technical.GetSignalAsync(context, cancellationToken).ConfigureAwait(false);
                answer = fallback with { Usage = (ex as SignalProviderException)?.Usage ?? ProviderUsage.None };
                providerName = technical.Name;
            }
        }

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

        return new SignalResult(
            request.Market,
            sample.Latest?.Id,
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
            lastPrice,
            timeframeAgreement,
            indicatorAgreement,
            sample.BarCount,
            asOf);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Prompt for {Provider} ({Chars} chars, amounts masked):\n{Prompt}")]
    private static partial void LogPrompt(ILogger logger, string provider, int chars, string prompt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signal provider {Provider} failed; using the technical fallback: {Error}")]
    private static partial void LogFallback(ILogger logger, string provider, string error);
}
