using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Providers;
using BitcoinAutoTrading.Core.Signals.Sampling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.UnitTests.Signals;

public sealed class SignalPipelineTests
{
    private readonly Mock<IMarketSampler> _sampler = new();
    private readonly Mock<IExchange> _exchange = new();
    private readonly Mock<ISignalProvider> _model = new();
    private readonly FakeTimeProvider _clock = new(SignalTestData.Now);
    private readonly MarketSample _sample = SignalTestData.FullSample();

    public SignalPipelineTests()
    {
        _sampler.Setup(s => s.SampleAsync(SignalTestData.Market, SignalTestData.Now, It.IsAny<CancellationToken>())).ReturnsAsync(_sample);
        // Rising markets everywhere: the technical provider's score is +1.
        _exchange.Setup(e => e.GetCandlesAsync(SignalTestData.Market, It.IsAny<CandleInterval>(), MultiTimeframeAnalyzer.CandleCount, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, CandleInterval interval, int _, DateTimeOffset? _, CancellationToken _) => SignalTestData.Trending(interval, 0.01));
        _model.SetupGet(m => m.Name).Returns(SignalProviderNames.Gemini);
        _model.SetupGet(m => m.IsConfigured).Returns(true);
    }

    [Fact]
    public async Task RunAsync_NoModelConfigured_UsesTechnicalProvider()
    {
        _model.SetupGet(m => m.IsConfigured).Returns(false);

        var result = await Pipeline().RunAsync(new SignalRequest(SignalTestData.Market));

        Assert.Equal(SignalProviderNames.Technical, result.Provider);
        Assert.False(result.IsFallback);
        Assert.Equal(1m, result.ActionScore);
        Assert.Equal(SignalAction.Buy, result.Action);
        Assert.Equal(1m, result.Confidence);
        Assert.True(result.IsActionable);
        Assert.Equal(MarketRegime.BullTrend, result.Regime);
        Assert.Null(result.PromptChars);
        Assert.Null(result.InputTokens);
        Assert.Equal(_sample.Latest!.Id, result.MarketDataId);
        Assert.Equal(_sample.Latest.Close, result.LastPrice);
        Assert.Equal(444, result.SampledBars);
        _model.Verify(m => m.GetSignalAsync(It.IsAny<SignalContext>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RunAsync_ModelAnswers_CodeDecidesFromScoreNotModelSignal()
    {
        SignalContext? seen = null;
        _model.Setup(m => m.GetSignalAsync(It.IsAny<SignalContext>(), It.IsAny<CancellationToken>()))
            .Callback((SignalContext c, CancellationToken _) => seen = c)
            .ReturnsAsync(new ProviderSignal(0.35, MarketRegime.Sideways, """{"summary":"mild"}""", SignalAction.Hold,
                new ProviderUsage("gemini-2.5-flash", 2500, 90, 700, 1800)));

        var result = await Pipeline().RunAsync(new SignalRequest(SignalTestData.Market, Model: "gemini-2.5-pro"));

        Assert.Equal(SignalProviderNames.Gemini, result.Provider);
        Assert.Equal(SignalAction.Buy, result.Action);
        Assert.Equal(0.35m, result.ActionScore);
        // 0.5·0.35 + 0.3·1 (all timeframes bullish) + 0.2·1 (all indicators bullish)
        Assert.Equal(0.675m, result.Confidence);
        Assert.Equal((2500, 90, 700, 1800), (result.InputTokens, result.OutputTokens, result.ThinkingTokens, result.LatencyMs));
        Assert.Equal(seen!.Prompt.Length, result.PromptChars);
        Assert.Equal("gemini-2.5-pro", seen.Model);
        using var reasoning = JsonDocument.Parse(result.ReasoningJson);
        Assert.Equal("HOLD", reasoning.RootElement.GetProperty("model_signal").GetString());
        Assert.Equal("mild", reasoning.RootElement.GetProperty("reasoning").GetProperty("summary").GetString());
    }

    [Fact]
    public async Task RunAsync_ModelOutputMalformed_TechnicalFallbackWithErrorAndTokens()
    {
        _model.Setup(m => m.GetSignalAsync(It.IsAny<SignalContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SignalProviderException("Model output 'action_score' 1.7 is outside [-1, 1].",
                new ProviderUsage("gemini-2.5-flash", 2500, 90, 700, 1500)));

        var result = await Pipeline().RunAsync(new SignalRequest(SignalTestData.Market));

        Assert.Equal(SignalProviderNames.Technical, result.Provider);
        Assert.True(result.IsFallback);
        Assert.Equal(1m, result.ActionScore);
        Assert.Equal(SignalAction.Buy, result.Action);
        Assert.False(result.IsActionable);
        Assert.Equal(2500, result.InputTokens);
        Assert.Equal("gemini-2.5-flash", result.ModelName);
        using var reasoning = JsonDocument.Parse(result.ReasoningJson);
        Assert.Equal("Model output 'action_score' 1.7 is outside [-1, 1].", reasoning.RootElement.GetProperty("fallback_error").GetString());
        Assert.Equal("gemini", reasoning.RootElement.GetProperty("fallback_from").GetString());
        Assert.Equal("technical", reasoning.RootElement.GetProperty("source").GetString());
    }

    [Fact]
    public async Task RunAsync_ModelThrowsUnexpectedly_StillFallsBack()
    {
        _model.Setup(m => m.GetSignalAsync(It.IsAny<SignalContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TaskCanceledException("HttpClient timed out"));

        var result = await Pipeline().RunAsync(new SignalRequest(SignalTestData.Market));

        Assert.True(result.IsFallback);
        Assert.Null(result.InputTokens);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_Propagates()
    {
        using var cts = new CancellationTokenSource();
        _model.Setup(m => m.GetSignalAsync(It.IsAny<SignalContext>(), It.IsAny<CancellationToken>()))
            .Returns(async (SignalContext _, CancellationToken ct) =>
            {
                await cts.CancelAsync();
                ct.ThrowIfCancellationRequested();
                return null!;
            });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Pipeline().RunAsync(new SignalRequest(SignalTestData.Market), cts.Token));
    }

    [Fact]
    public async Task RunAsync_HoldDecision_AgreementsMeasureNeutrality()
    {
        _model.Setup(m => m.GetSignalAsync(It.IsAny<SignalContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ProviderSignal(0.1, MarketRegime.Sideways, "{}", SignalAction.Hold, ProviderUsage.None));

        var result = await Pipeline().RunAsync(new SignalRequest(SignalTestData.Market, new DecisionThresholds(0.3m, -0.2m)));

        Assert.Equal(SignalAction.Hold, result.Action);
        // Every timeframe and indicator points up, none is neutral: a HOLD has no agreement, only the score counts.
        Assert.Equal(0, result.TimeframeAgreement);
        Assert.Equal(0, result.IndicatorAgreement);
        Assert.Equal(0.05m, result.Confidence);
    }

    private SignalPipeline Pipeline() => new(
        _sampler.Object,
        new MultiTimeframeAnalyzer(_exchange.Object),
        [new TechnicalSignalProvider(), _model.Object],
        TestBudget.Unlimited(_clock),
        _clock,
        NullLogger<SignalPipeline>.Instance);
}
