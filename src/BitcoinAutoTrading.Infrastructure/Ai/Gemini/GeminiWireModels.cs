namespace BitcoinAutoTrading.Infrastructure.Ai.Gemini;

// Wire shapes of generateContent's response (camelCase JSON); mapping to Core types happens in GeminiResponseParser.

internal sealed record GeminiResponse(
    IReadOnlyList<GeminiCandidate>? Candidates,
    GeminiPromptFeedback? PromptFeedback,
    GeminiUsageMetadata? UsageMetadata,
    string? ModelVersion,
    string? ResponseId);

internal sealed record GeminiCandidate(GeminiContent? Content, string? FinishReason);

internal sealed record GeminiContent(string? Role, IReadOnlyList<GeminiPart>? Parts);

/// <summary><see cref="Thought"/> is true for thought summaries, which are not the answer.</summary>
internal sealed record GeminiPart(string? Text, bool? Thought);

internal sealed record GeminiPromptFeedback(string? BlockReason);

internal sealed record GeminiUsageMetadata(
    int? PromptTokenCount,
    int? CandidatesTokenCount,
    int? ThoughtsTokenCount,
    int? TotalTokenCount);
