using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Providers;
using BitcoinAutoTrading.Core.Signals.Sampling;
using BitcoinAutoTrading.Infrastructure.Ai.Gemini;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace BitcoinAutoTrading.IntegrationTests.Signals;

/// <summary>The Gemini adapter over real HTTP against <see cref="GeminiFake"/> (R2 for Gemini, R6).</summary>
public sealed class GeminiSignalProviderTests : IDisposable
{
    private readonly GeminiFake _fake = new();
    private readonly List<ServiceProvider> _providers = [];

    [Fact]
    public async Task GetSignalAsync_ValidAnswer_ParsedWithUsageAndKeyOnlyInHeader()
    {
        _fake.Enqueue(200, GeminiFake.Success(GeminiFake.Answer("BUY", 0.42, "bull_trend")));

        var signal = await Provider().GetSignalAsync(Context());

        Assert.Equal(0.42, signal.ActionScore);
        Assert.Equal(MarketRegime.BullTrend, signal.Regime);
        Assert.Equal(SignalAction.Buy, signal.ModelSignal);
        Assert.Equal((2412, 88, 821), (signal.Usage.InputTokens, signal.Usage.OutputTokens, signal.Usage.ThinkingTokens));
        Assert.True(signal.Usage.LatencyMs >= 0);

        var request = Assert.Single(_fake.Requests).RequestMessage;
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", request.Path);
        Assert.Equal(GeminiFake.ApiKey, request.Headers!["x-goog-api-key"].Single());
        Assert.DoesNotContain(GeminiFake.ApiKey, request.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(GeminiFake.ApiKey, request.Body, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body!);
        var config = body.RootElement.GetProperty("generationConfig");
        Assert.Equal("application/json", config.GetProperty("responseMimeType").GetString());
        var schema = config.GetProperty("responseSchema").GetProperty("properties");
        Assert.Equal(["BUY", "SELL", "HOLD"], schema.GetProperty("signal").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("high_volatility", schema.GetProperty("regime").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("NUMBER", schema.GetProperty("action_score").GetProperty("type").GetString());
        Assert.Equal("OBJECT", schema.GetProperty("reasoning").GetProperty("type").GetString());
        Assert.Equal("the prompt", body.RootElement.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task GetSignalAsync_429WithRetryAfter_WaitsAsToldThenSucceeds()
    {
        _fake.Enqueue(429, GeminiFake.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded"), retryAfter: TimeSpan.FromSeconds(1))
             .Enqueue(200, GeminiFake.Success(GeminiFake.Answer()));

        // Backoff is set to 20 s: finishing in ~1 s proves the Retry-After was used instead.
        var signal = await Provider(retryBaseDelay: "00:00:20").GetSignalAsync(Context());

        Assert.Equal(0.42, signal.ActionScore);
        var gap = Gap(_fake.Requests);
        Assert.Equal(2, _fake.Requests.Count);
        Assert.InRange(gap, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task GetSignalAsync_429WithRetryInfoBody_WaitsRetryDelayThenSucceeds()
    {
        _fake.Enqueue(429, GeminiFake.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded", retryDelay: "0.4s"))
             .Enqueue(200, GeminiFake.Success(GeminiFake.Answer()));

        await Provider(retryBaseDelay: "00:00:20").GetSignalAsync(Context());

        Assert.Equal(2, _fake.Requests.Count);
        Assert.InRange(Gap(_fake.Requests), TimeSpan.FromMilliseconds(380), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task GetSignalAsync_503ThenSuccess_RetriesWithBackoff()
    {
        _fake.Enqueue(503, GeminiFake.Error(503, "UNAVAILABLE", "The model is overloaded."))
             .Enqueue(503, GeminiFake.Error(503, "UNAVAILABLE", "The model is overloaded."))
             .Enqueue(200, GeminiFake.Success(GeminiFake.Answer("SELL", -0.5, "bear_trend")));

        var signal = await Provider().GetSignalAsync(Context());

        Assert.Equal(-0.5, signal.ActionScore);
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSignalAsync_503ThreeTimes_GivesUpAfterThreeTries()
    {
        for (var i = 0; i < 4; i++)
        {
            _fake.Enqueue(503, GeminiFake.Error(503, "UNAVAILABLE", "The model is overloaded."));
        }

        var ex = await Assert.ThrowsAsync<SignalProviderException>(() => Provider().GetSignalAsync(Context()));

        Assert.Contains("503 UNAVAILABLE", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task GetSignalAsync_RetryInfoLongerThanAllowed_GivesUpWithoutWaiting()
    {
        _fake.Enqueue(429, GeminiFake.Error(429, "RESOURCE_EXHAUSTED", "Daily quota exceeded", retryDelay: "3600s"))
             .Enqueue(200, GeminiFake.Success(GeminiFake.Answer()));

        var ex = await Assert.ThrowsAsync<SignalProviderException>(() => Provider().GetSignalAsync(Context()));

        Assert.Contains("429 RESOURCE_EXHAUSTED", ex.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Requests);
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.")]
    [InlineData(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.")]
    [InlineData(404, "NOT_FOUND", "models/gemini-9 is not found for API version v1beta.")]
    public async Task GetSignalAsync_ClientError_NoRetry(int status, string code, string message)
    {
        _fake.Enqueue(status, GeminiFake.Error(status, code, message))
             .Enqueue(200, GeminiFake.Success(GeminiFake.Answer()));

        var ex = await Assert.ThrowsAsync<SignalProviderException>(() => Provider().GetSignalAsync(Context()));

        Assert.Contains($"{status} {code}: {message}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(GeminiFake.ApiKey, ex.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task GetSignalAsync_NoAnswerInTime_EachTryTimesOutThenGivesUp()
    {
        for (var i = 0; i < 3; i++)
        {
            _fake.Enqueue(200, GeminiFake.Success(GeminiFake.Answer()), delay: TimeSpan.FromSeconds(2));
        }
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<SignalProviderException>(() => Provider(timeoutSeconds: 1).GetSignalAsync(Context()));

        var elapsed = stopwatch.Elapsed;
        Assert.Contains("did not answer within 1 s", ex.Message, StringComparison.Ordinal);
        // Three 1 s tries plus short backoffs, not three 2 s waits.
        Assert.InRange(elapsed, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(5.5));
        // WireMock logs a request once its delayed answer is written, after the client has gone.
        for (var i = 0; i < 100 && _fake.Requests.Count < 3; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(3, _fake.Requests.Count);
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { GeminiFake.Success("{\"signal\":\"BUY\",\"action_score\":0.4"), "not valid JSON" },
        { GeminiFake.Success("{\"signal\":\"BUY\",\"regime\":\"bull_trend\",\"reasoning\":{}}"), "lacks 'action_score'" },
        { GeminiFake.Success(GeminiFake.Answer("BUY", 1.5)), "outside [-1, 1]" },
        { GeminiFake.Success(GeminiFake.Answer("STRONG_BUY")), "not one of BUY, SELL, HOLD" },
        { GeminiFake.Success(GeminiFake.Answer(regime: "bubble")), "'regime' \"bubble\"" },
        { """{"candidates":[],"usageMetadata":{"promptTokenCount":2412,"totalTokenCount":2412}}""", "no candidates" },
        { """{"candidates":[{"finishReason":"SAFETY","index":0}],"usageMetadata":{"promptTokenCount":2412}}""", "finishReason SAFETY" },
        { """{"promptFeedback":{"blockReason":"OTHER"},"usageMetadata":{"promptTokenCount":2412}}""", "blockReason OTHER" },
        { "upstream connect error", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task RunAsync_MalformedGeminiOutput_TechnicalFallbackNeverActionable(string body, string expectedError)
    {
        _fake.Enqueue(200, body);
        var services = Services();
        var pipeline = new SignalPipeline(
            SamplerOf(), new MultiTimeframeAnalyzer(RisingExchange()), services.GetServices<ISignalProvider>().Prepend(new TechnicalSignalProvider()),
            new BitcoinAutoTrading.Core.Signals.Budget.AiBudgetGuard(
                Mock.Of<BitcoinAutoTrading.Core.Signals.Budget.IAiSpendRepository>(), AiPricing.Default, TimeProvider.System),
            TimeProvider.System, NullLogger<SignalPipeline>.Instance);

        var result = await pipeline.RunAsync(new SignalRequest("KRW-BTC"));

        Assert.Equal(SignalProviderNames.Technical, result.Provider);
        Assert.True(result.IsFallback);
        Assert.False(result.IsActionable);
        Assert.NotNull(result.PromptChars);
        using var reasoning = JsonDocument.Parse(result.ReasoningJson);
        Assert.Contains(expectedError, reasoning.RootElement.GetProperty("fallback_error").GetString(), StringComparison.Ordinal);
        Assert.Single(_fake.Requests);
    }

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }
        _fake.Dispose();
    }

    private static TimeSpan Gap(IReadOnlyList<WireMock.Logging.ILogEntry> requests) =>
        requests[1].RequestMessage.DateTime - requests[0].RequestMessage.DateTime;

    private ServiceProvider Services(int timeoutSeconds = 10, string retryBaseDelay = "00:00:00.050")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gemini:ApiKey"] = GeminiFake.ApiKey,
            ["Gemini:BaseUrl"] = _fake.BaseUrl,
            ["Gemini:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gemini:RetryBaseDelay"] = retryBaseDelay,
        }).Build();
        var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddGemini()
            .BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private ISignalProvider Provider(int timeoutSeconds = 10, string retryBaseDelay = "00:00:00.050") =>
        Services(timeoutSeconds, retryBaseDelay).GetServices<ISignalProvider>().Single(p => p.Name == SignalProviderNames.Gemini);

    private static SignalContext Context() => new(
        "KRW-BTC",
        new MarketSample("KRW-BTC", [], [], [], null),
        new MultiTimeframeAnalysis([], 0, Direction.Neutral, 0),
        "the prompt");

    private static IMarketSampler SamplerOf()
    {
        var sampler = new Mock<IMarketSampler>();
        var bar = new SampledBar(DateTimeOffset.UtcNow.AddMinutes(-5), 100_000_000m, 100_100_000m, 99_900_000m, 100_050_000m, 1m);
        sampler.Setup(s => s.SampleAsync("KRW-BTC", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new MarketSample("KRW-BTC", [bar], [bar], [bar], new LatestMinute(7, bar.Start, bar.Close)));
        return sampler.Object;
    }

    /// <summary>An exchange whose every timeframe rises faster and faster, so the technical fallback says BUY.</summary>
    private static IExchange RisingExchange()
    {
        var exchange = new Mock<IExchange>();
        exchange.Setup(e => e.GetCandlesAsync("KRW-BTC", It.IsAny<CandleInterval>(), It.IsAny<int>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((string market, CandleInterval interval, int count, DateTimeOffset? _, CancellationToken _) =>
                Enumerable.Range(0, count).Select(i =>
                {
                    var close = Math.Round(100_000_000m * (decimal)Math.Pow(1.01, i), 0);
                    return new Candle(market, DateTimeOffset.UnixEpoch.AddMinutes((int)interval * i), close, close * 1.005m, close * 0.995m, close, 1m, close);
                }).ToList());
        return exchange.Object;
    }
}
