using System.Text.Json;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Providers;

namespace BitcoinAutoTrading.Infrastructure.Ai.Gemini;

/// <summary>
/// Turns a 200 generateContent body into a <see cref="ProviderSignal"/>, or throws <see cref="SignalProviderException"/>
/// naming what was wrong (R6): invalid JSON, blocked prompt, no candidates, a non-STOP finish (safety, truncation),
/// missing or mistyped fields, an out-of-range score or an unknown enum value.
/// </summary>
internal static class GeminiResponseParser
{
    private const int ExcerptLength = 200;

    private static readonly JsonSerializerOptions WireOptions = new(JsonSerializerDefaults.Web);

    public static ProviderSignal Parse(string body, string model, int latencyMs)
    {
        GeminiResponse? response;
        try
        {
            response = JsonSerializer.Deserialize<GeminiResponse>(body, WireOptions);
        }
        catch (JsonException ex)
        {
            throw new SignalProviderException(
                $"Gemini response is not valid JSON: {ex.Message}", new ProviderUsage(model, null, null, null, latencyMs), ex,
                dailyQuotaExhausted: false, new ProviderProvenance(GeminiRequestFactory.SchemaVersion, null, null, body));
        }
        if (response is null)
        {
            throw new SignalProviderException("Gemini response is empty.", new ProviderUsage(model, null, null, null, latencyMs));
        }

        var provenance = new ProviderProvenance(GeminiRequestFactory.SchemaVersion, response.ModelVersion, response.ResponseId, body);
        try
        {
            return ParseResponse(response, model, latencyMs) with { Provenance = provenance };
        }
        catch (SignalProviderException ex)
        {
            // A malformed answer keeps its raw body, so what the model said can be inspected later.
            throw new SignalProviderException(ex.Message, ex.Usage, ex.InnerException, dailyQuotaExhausted: false, provenance);
        }
    }

    private static ProviderSignal ParseResponse(GeminiResponse response, string model, int latencyMs)
    {
        // Priced and budgeted by the model asked for; Gemini's own modelVersion is kept with the provenance.
        var usage = new ProviderUsage(
            model,
            response.UsageMetadata?.PromptTokenCount,
            response.UsageMetadata?.CandidatesTokenCount,
            response.UsageMetadata?.ThoughtsTokenCount,
            latencyMs);

        if (!string.IsNullOrEmpty(response.PromptFeedback?.BlockReason))
        {
            throw new SignalProviderException($"Gemini blocked the prompt (blockReason {response.PromptFeedback.BlockReason}).", usage);
        }
        if (response.Candidates is not { Count: > 0 })
        {
            throw new SignalProviderException("Gemini returned no candidates.", usage);
        }
        var candidate = response.Candidates[0];
        if (candidate.FinishReason is { } finish && finish != "STOP")
        {
            // SAFETY, RECITATION, MAX_TOKENS (truncated JSON), ...: the text, if any, is not a complete answer.
            throw new SignalProviderException($"Gemini stopped with finishReason {finish}.", usage);
        }
        var text = string.Concat((candidate.Content?.Parts ?? []).Where(p => p.Thought != true).Select(p => p.Text));
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SignalProviderException("Gemini candidate has no text.", usage);
        }

        return ParseAnswer(text, usage);
    }

    private static ProviderSignal ParseAnswer(string text, ProviderUsage usage)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new SignalProviderException($"Model output is not valid JSON ({ex.Message}): {Excerpt(text)}", usage, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SignalProviderException($"Model output is a JSON {root.ValueKind}, not an object: {Excerpt(text)}", usage);
            }

            var signalText = RequireString(root, "signal", usage);
            var signal = signalText switch
            {
                "BUY" => SignalAction.Buy,
                "SELL" => SignalAction.Sell,
                "HOLD" => SignalAction.Hold,
                _ => throw new SignalProviderException(
                    $"Model output 'signal' \"{signalText}\" is not one of BUY, SELL, HOLD.", usage),
            };

            var scoreElement = Require(root, "action_score", usage);
            if (scoreElement.ValueKind != JsonValueKind.Number || !scoreElement.TryGetDouble(out var score) || !double.IsFinite(score))
            {
                throw new SignalProviderException($"Model output 'action_score' is not a number: {Excerpt(scoreElement.GetRawText())}", usage);
            }
            if (score is < -1 or > 1)
            {
                throw new SignalProviderException(
                    $"Model output 'action_score' {scoreElement.GetRawText()} is outside [-1, 1].", usage);
            }

            var regimeText = RequireString(root, "regime", usage);
            if (!MarketRegimeNames.TryParse(regimeText, out var regime))
            {
                throw new SignalProviderException(
                    $"Model output 'regime' \"{regimeText}\" is not one of {string.Join(", ", MarketRegimeNames.All)}.", usage);
            }

            var reasoning = Require(root, "reasoning", usage);
            if (reasoning.ValueKind != JsonValueKind.Object)
            {
                throw new SignalProviderException($"Model output 'reasoning' is a JSON {reasoning.ValueKind}, not an object.", usage);
            }

            return new ProviderSignal(score, regime, reasoning.GetRawText(), signal, usage);
        }
    }

    private static JsonElement Require(JsonElement root, string name, ProviderUsage usage) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new SignalProviderException($"Model output lacks '{name}'.", usage);

    private static string RequireString(JsonElement root, string name, ProviderUsage usage)
    {
        var value = Require(root, name, usage);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new SignalProviderException($"Model output '{name}' is a JSON {value.ValueKind}, not a string.", usage);
    }

    private static string Excerpt(string text) => text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "…";
}
