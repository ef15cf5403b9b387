using BitcoinAutoTrading.Core.Signals.Providers;

namespace BitcoinAutoTrading.Core.Signals;

/// <summary>Everything a <c>trading_signals</c> row needs; the caller stores it.</summary>
public sealed record SignalResult(
    string Market,
    long? MarketDataId,
    SignalAction Action,
    decimal ActionScore,
    decimal Confidence,
    MarketRegime Regime,
    string ReasoningJson,
    string Provider,
    string? ModelName,
    bool IsFallback,
    int? InputTokens,
    int? OutputTokens,
    int? ThinkingTokens,
    int? LatencyMs,
    int? PromptChars,
    decimal LastPrice,
    double TimeframeAgreement,
    double IndicatorAgreement,
    int SampledBars,
    DateTimeOffset GeneratedAt)
{
    /// <summary>The stored <c>signal_type</c>: BUY, SELL or HOLD.</summary>
    public string SignalType => Action.ToString().ToUpperInvariant();

    public string RegimeName => Regime.ToWire();

    /// <summary>
    /// BUY or SELL from the configured provider. A fallback is recorded but never executed (SPEC §4.5, R6):
    /// the model was asked and gave no usable answer, so nothing trades on it.
    /// </summary>
    public bool IsActionable => Action != SignalAction.Hold && !IsFallback && !IsShadow;

    /// <summary>Prompt and raw answer as asked and received, when a model was asked.</summary>
    public SignalProvenance? Provenance { get; init; }

    /// <summary>Why no model was asked although one is configured (budget spent, per-day quota, budget 0).</summary>
    public string? AiSkipReason { get; init; }

    /// <summary>The shadow provider's answer of the run: stored for comparison, never traded.</summary>
    public bool IsShadow { get; init; }
}

/// <summary>
/// What is stored to replay a model signal (issue #16): SHA-256 of the exact prompt, the prompt masked as the debug log
/// masks it and size-capped, the response schema version, the model's version and response id, the raw response
/// (size-capped).
/// </summary>
public sealed record SignalProvenance(
    string PromptSha256,
    string PromptText,
    int? ResponseSchemaVersion,
    string? ModelVersion,
    string? ResponseId,
    string? RawResponse)
{
    public const int MaxPromptChars = 32_000;
    public const int MaxRawResponseChars = 64_000;
    public const string TruncatedMarker = "…[truncated]";

    public static SignalProvenance Create(string prompt, ProviderProvenance? answer)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(prompt)));
        return new SignalProvenance(
            hash, Cap(Prompt.PromptRedactor.Mask(prompt), MaxPromptChars), answer?.ResponseSchemaVersion, answer?.ModelVersion,
            answer?.ResponseId, answer?.RawResponse is { } raw ? Cap(raw, MaxRawResponseChars) : null);
    }

    public static string Cap(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max - TruncatedMarker.Length), TruncatedMarker);
    }
}
