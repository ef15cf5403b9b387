using System.Text.Json;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Providers;
using BitcoinAutoTrading.Infrastructure.Ai.Gemini;

namespace BitcoinAutoTrading.UnitTests.Signals;

public sealed class GeminiResponseParserTests
{
    private const string Model = "gemini-2.5-flash";

    /// <summary>A generateContent 200 body in the API's real shape, with the model's answer as the part's text.</summary>
    internal static string Envelope(string answerText, string finishReason = "STOP", bool withThought = false)
    {
        var parts = new List<object>();
        if (withThought)
        {
            parts.Add(new { text = "Thinking about the trend...", thought = true });
        }
        parts.Add(new { text = answerText });
        return JsonSerializer.Serialize(new
        {
            candidates = new[] { new { content = new { parts, role = "model" }, finishReason, index = 0 } },
            usageMetadata = new { promptTokenCount = 2480, candidatesTokenCount = 96, totalTokenCount = 3376, thoughtsTokenCount = 800 },
            modelVersion = "gemini-2.5-flash",
            responseId = "abc123",
        });
    }

    internal const string ValidAnswer =
        """{"signal":"BUY","action_score":0.42,"regime":"bull_trend","reasoning":{"summary":"Daily and weekly trends up","key_factors":["EMA20>EMA50"],"risks":"RSI near 70"}}""";

    [Fact]
    public void Parse_ValidResponse_ReturnsScoreRegimeAndUsage()
    {
        var signal = GeminiResponseParser.Parse(Envelope(ValidAnswer, withThought: true), Model, 1234);

        Assert.Equal(0.42, signal.ActionScore);
        Assert.Equal(MarketRegime.BullTrend, signal.Regime);
        Assert.Equal(SignalAction.Buy, signal.ModelSignal);
        Assert.Equal(new ProviderUsage("gemini-2.5-flash", 2480, 96, 800, 1234), signal.Usage);
        using var reasoning = JsonDocument.Parse(signal.ReasoningJson);
        Assert.Equal("Daily and weekly trends up", reasoning.RootElement.GetProperty("summary").GetString());
    }

    [Theory]
    [InlineData("{\"signal\":\"BUY\",\"action_score\":0.4,\"regime\":\"bull_trend\"", "not valid JSON")]
    [InlineData("[1,2]", "not an object")]
    [InlineData("{\"action_score\":0.4,\"regime\":\"bull_trend\",\"reasoning\":{}}", "lacks 'signal'")]
    [InlineData("{\"signal\":\"BUY\",\"regime\":\"bull_trend\",\"reasoning\":{}}", "lacks 'action_score'")]
    [InlineData("{\"signal\":\"BUY\",\"action_score\":0.4,\"reasoning\":{}}", "lacks 'regime'")]
    [InlineData("{\"signal\":\"BUY\",\"action_score\":0.4,\"regime\":\"bull_trend\"}", "lacks 'reasoning'")]
    [InlineData("{\"signal\":\"BUY\",\"action_score\":1.7,\"regime\":\"bull_trend\",\"reasoning\":{}}", "outside [-1, 1]")]
    [InlineData("{\"signal\":\"BUY\",\"action_score\":\"high\",\"regime\":\"bull_trend\",\"reasoning\":{}}", "not a number")]
    [InlineData("{\"signal\":\"STRONG_BUY\",\"action_score\":0.4,\"regime\":\"bull_trend\",\"reasoning\":{}}", "not one of BUY, SELL, HOLD")]
    [InlineData("{\"signal\":\"BUY\",\"action_score\":0.4,\"regime\":\"moon\",\"reasoning\":{}}", "'regime' \"moon\" is not one of")]
    [InlineData("{\"signal\":\"BUY\",\"action_score\":0.4,\"regime\":\"bull_trend\",\"reasoning\":\"because\"}", "'reasoning' is a JSON String")]
    public void Parse_MalformedAnswer_ThrowsNamingTheProblemAndKeepsUsage(string answer, string expectedMessage)
    {
        var ex = Assert.Throws<SignalProviderException>(() => GeminiResponseParser.Parse(Envelope(answer), Model, 50));

        Assert.Contains(expectedMessage, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2480, ex.Usage.InputTokens);
        Assert.Equal(800, ex.Usage.ThinkingTokens);
    }

    [Fact]
    public void Parse_SafetyFinish_Throws()
    {
        var body = """{"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH"}]}],"usageMetadata":{"promptTokenCount":2400,"totalTokenCount":2400}}""";

        var ex = Assert.Throws<SignalProviderException>(() => GeminiResponseParser.Parse(body, Model, 10));

        Assert.Contains("finishReason SAFETY", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2400, ex.Usage.InputTokens);
    }

    [Fact]
    public void Parse_BlockedPrompt_Throws()
    {
        var body = """{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},"usageMetadata":{"promptTokenCount":2400,"totalTokenCount":2400}}""";

        var ex = Assert.Throws<SignalProviderException>(() => GeminiResponseParser.Parse(body, Model, 10));

        Assert.Contains("blockReason SAFETY", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"candidates":[],"usageMetadata":{"promptTokenCount":1}}""", "no candidates")]
    [InlineData("""{"usageMetadata":{"promptTokenCount":1}}""", "no candidates")]
    [InlineData("""{"candidates":[{"content":{"parts":[],"role":"model"},"finishReason":"STOP"}]}""", "no text")]
    [InlineData("<html>Bad gateway</html>", "not valid JSON")]
    public void Parse_EmptyOrBrokenEnvelope_Throws(string body, string expectedMessage)
    {
        var ex = Assert.Throws<SignalProviderException>(() => GeminiResponseParser.Parse(body, Model, 10));

        Assert.Contains(expectedMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedByMaxTokens_Throws()
    {
        var ex = Assert.Throws<SignalProviderException>(() =>
            GeminiResponseParser.Parse(Envelope("{\"signal\":\"BU", finishReason: "MAX_TOKENS"), Model, 10));

        Assert.Contains("MAX_TOKENS", ex.Message, StringComparison.Ordinal);
    }
}
