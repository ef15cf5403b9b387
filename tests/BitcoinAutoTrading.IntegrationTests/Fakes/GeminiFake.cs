using System.Text.Json;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BitcoinAutoTrading.IntegrationTests.Fakes;

/// <summary>
/// A Gemini <c>generateContent</c> endpoint over real HTTP (WireMock) answering with the API's real shapes:
/// candidates[0].content.parts[].text holding the JSON answer, usageMetadata with thoughtsTokenCount,
/// Google's error envelope with RetryInfo, Retry-After headers. Queue answers; each request takes the next one.
/// </summary>
public sealed class GeminiFake : IDisposable
{
    public const string ApiKey = "test-gemini-key-0123456789";
    private const string Scenario = "gemini";
    private readonly WireMockServer _server = WireMockServer.Start();
    private int _queued;

    public string BaseUrl => _server.Url!;

    public IReadOnlyList<ILogEntry> Requests => _server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).ToList();

    public static string Answer(string signal = "BUY", double actionScore = 0.42, string regime = "bull_trend") =>
        JsonSerializer.Serialize(new
        {
            signal,
            action_score = actionScore,
            regime,
            reasoning = new { summary = "Higher timeframes trend up", key_factors = new[] { "EMA20 above EMA50 on 1d" }, risks = "RSI near 70 on 4h" },
        });

    /// <summary>A 200 body in the API's shape, with a thought-summary part before the answer as thinking models send.</summary>
    public static string Success(string answerText, string finishReason = "STOP") => JsonSerializer.Serialize(new
    {
        candidates = new[]
        {
            new
            {
                content = new { parts = new object[] { new { text = "**Assessing trend**", thought = true }, new { text = answerText } }, role = "model" },
                finishReason,
                index = 0,
            },
        },
        usageMetadata = new { promptTokenCount = 2412, candidatesTokenCount = 88, totalTokenCount = 3321, thoughtsTokenCount = 821 },
        modelVersion = "gemini-2.5-flash",
        responseId = "fake-response-1",
    });

    public static string Error(int code, string status, string message, string? retryDelay = null)
    {
        var details = retryDelay is null
            ? Array.Empty<object>()
            : [new Dictionary<string, object> { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = retryDelay }];
        return JsonSerializer.Serialize(new { error = new { code, message, status, details } });
    }

    public GeminiFake Enqueue(int status, string body, TimeSpan? retryAfter = null, TimeSpan? delay = null)
    {
        var state = _queued;
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (retryAfter is { } wait)
        {
            response = response.WithHeader("Retry-After", ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (delay is { } d)
        {
            response = response.WithDelay(d);
        }
        var request = Request.Create().UsingPost().WithPath(new WildcardMatcher("/v1beta/models/*:generateContent"));
        var mapping = _server.Given(request).InScenario(Scenario);
        // The first answer is the scenario's start state (no WhenStateIs); each answer moves to the next.
        if (state > 0)
        {
            mapping = mapping.WhenStateIs(state.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        mapping.WillSetStateTo((state + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).RespondWith(response);
        _queued++;
        return this;
    }

    public void Dispose() => _server.Stop();
}
