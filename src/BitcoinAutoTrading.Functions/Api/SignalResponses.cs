using System.Text.Json;
using BitcoinAutoTrading.Core.Signals;

namespace BitcoinAutoTrading.Functions.Api;

public sealed record SignalEvaluationResponse(decimal PriceAfter, decimal ChangePct, bool Correct, DateTimeOffset EvaluatedAt)
{
    public static SignalEvaluationResponse? From(SignalEvaluation? e) =>
        e is null ? null : new(e.PriceAfter, e.ChangePct, e.Correct, e.EvaluatedAt);
}

public sealed record SignalResponse(
    long Id,
    string Market,
    long? MarketDataId,
    string SignalType,
    decimal ActionScore,
    decimal Confidence,
    string? MarketRegime,
    JsonElement Reasoning,
    string Provider,
    string? ModelName,
    bool IsFallback,
    int? InputTokens,
    int? OutputTokens,
    int? ThinkingTokens,
    int? LatencyMs,
    int? PromptChars,
    decimal? PriceAtSignal,
    string? ExecutionNote,
    DateTimeOffset CreatedAt,
    SignalEvaluationResponse? Evaluation4h,
    SignalEvaluationResponse? Evaluation24h,
    bool IsShadow,
    long? ShadowOfId,
    string? AiSkipReason)
{
    public static SignalResponse From(TradingSignal s)
    {
        ArgumentNullException.ThrowIfNull(s);
        using var reasoning = JsonDocument.Parse(string.IsNullOrWhiteSpace(s.ReasoningJson) ? "{}" : s.ReasoningJson);
        return new(
            s.Id, s.Market, s.MarketDataId, s.Type.ToWire(WireCase.UpperSnake), s.ActionScore, s.Confidence, s.MarketRegime,
            reasoning.RootElement.Clone(), s.Provider.ToWire(WireCase.LowerSnake), s.ModelName, s.IsFallback, s.InputTokens,
            s.OutputTokens, s.ThinkingTokens, s.LatencyMs, s.PromptChars, s.PriceAtSignal, s.ExecutionNote, s.CreatedAt,
            SignalEvaluationResponse.From(s.Evaluation4h), SignalEvaluationResponse.From(s.Evaluation24h), s.IsShadow, s.ShadowOfId,
            s.AiSkipReason);
    }
}

/// <summary>A page, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next page (null on the last one).</summary>
public sealed record SignalListResponse(int Limit, string? Type, long? NextBefore, IReadOnlyList<SignalResponse> Items);

public sealed record HorizonPerformanceResponse(int Evaluated, int Correct, decimal? AccuracyPct, decimal? AvgChangePct)
{
    public static HorizonPerformanceResponse From(HorizonPerformance p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Evaluated, p.Correct, p.AccuracyPct, p.AvgChangePct);
    }
}

public sealed record SignalTypePerformanceResponse(
    string SignalType, int Total, HorizonPerformanceResponse FourHours, HorizonPerformanceResponse TwentyFourHours)
{
    public static SignalTypePerformanceResponse From(SignalPerformance p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Type.ToWire(WireCase.UpperSnake), p.Total, HorizonPerformanceResponse.From(p.FourHours), HorizonPerformanceResponse.From(p.TwentyFourHours));
    }
}

/// <summary><see cref="Types"/>: primary signals only; <see cref="ShadowComparison"/>: primary and shadow over the runs both answered.</summary>
public sealed record SignalPerformanceResponse(
    int Days, DateTimeOffset Since, IReadOnlyList<SignalTypePerformanceResponse> Types, IReadOnlyList<SourcePerformanceResponse> ShadowComparison);

/// <summary>What a manual run produced: the stored signal and what became of it.</summary>
public sealed record GeneratedSignalResponse(
    long SignalId,
    string Market,
    string SignalType,
    decimal ActionScore,
    decimal Confidence,
    string Provider,
    bool IsFallback,
    decimal LastPrice,
    string ExecutionNote,
    DateTimeOffset GeneratedAt);
