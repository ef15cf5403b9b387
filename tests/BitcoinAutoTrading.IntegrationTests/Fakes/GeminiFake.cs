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
    public static string Success(string answerText, string finishReason = "STOP", string modelVersion = "gemini-2.5-flash", string responseId = "fake-response-1") => JsonSerializer.Serialize(new
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
        modelVersion,
        responseId,
    });

    /// <summary>
    /// Gemini's real 429: RESOURCE_EXHAUSTED with a google.rpc.QuotaFailure naming the quota (per day or per minute) and
    /// a google.rpc.RetryInfo (sent for per-day quotas too, which is why the retry delay alone cannot be trusted).
    /// </summary>
    public static string QuotaExceeded(bool perDay, string retryDelay = "37s", string model = "gemini-2.5-flash")
    {
        var quotaId = perDay ? "GenerateRequestsPerDayPerProjectPerModel-FreeTier" : "GenerateRequestsPerMinutePerProjectPerModel-FreeTier";
        // Google names the same metric for both; only the quotaId tells a per-day limit from a per-minute one.
        const string metric = "generativelanguage.googleapis.com/generate_content_free_tier_requests";
        return JsonSerializer.Serialize(new
        {
            error = new
            {
                code = 429,
                message = $"You exceeded your current quota, please check your plan and billing details. Quota exceeded for metric: {metric}, limit: {(perDay ? 250 : 10)}, model: {model}. Please retry in {retryDelay}.",
                status = "RESOURCE_EXHAUSTED",
                details = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["@type"] = "type.googleapis.com/google.rpc.QuotaFailure",
                        ["violations"] = new object[]
                        {
                            new Dictionary<string, object>
                            {
                                ["quotaMetric"] = metric,
                                ["quotaId"] = quotaId,
                                ["quotaDimensions"] = new Dictionary<string, string> { ["location"] = "global", ["model"] = model },
                                ["quotaValue"] = perDay ? "250" : "10",
                            },
                        },
                    },
                    new Dictionary<string, object> { ["@type"] = "type.googleapis.com/google.rpc.Help", ["links"] = new object[] { new { description = "Learn more about Gemini API quotas", url = "https://ai.google.dev/gemini-api/docs/rate-limits" } } },
                    new Dictionary<string, object> { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = retryDelay },
                },
            },
        });
    }

    public static string Error(int code, string status, string message, string? retryDelay = null)
    {
        var details = retryDelay is null
            ? Array.Empty<object>()
            : [new Dictionary<string, object> { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = retryDelay }];
        return JsonSerializer.Serialize(new { error = new { code, message, status, details } });
    }

    /// <summary>
    /// Queues the next answer. With <paramref name="model"/> the answer goes to that model's own queue (its own path),
    /// so concurrent calls to two models (primary and shadow) each get theirs whatever order they arrive in.
    /// </summary>
    public GeminiFake Enqueue(int status, string body, TimeSpan? retryAfter = null, TimeSpan? delay = null, string? model = null)
    {
        if (model is not null)
        {
            return EnqueueFor(model, status, body, delay);
        }
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

    private readonly Dictionary<string, int> _queuedPerModel = new(StringComparer.Ordinal);

    private GeminiFake EnqueueFor(string model, int status, string body, TimeSpan? delay)
    {
        var state = _queuedPerModel.GetValueOrDefault(model);
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (delay is { } d)
        {
            response = response.WithDelay(d);
        }
        var request = Request.Create().UsingPost().WithPath($"/v1beta/models/{model}:generateContent");
        var mapping = _server.Given(request).InScenario(Scenario + ":" + model);
        if (state > 0)
        {
            mapping = mapping.WhenStateIs(state.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        mapping.WillSetStateTo((state + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).RespondWith(response);
        _queuedPerModel[model] = state + 1;
        return this;
    }

    /// <summary>Requests to one model's generateContent path.</summary>
    public IReadOnlyList<ILogEntry> RequestsFor(string model) =>
        Requests.Where(e => e.RequestMessage.Path == $"/v1beta/models/{model}:generateContent").ToList();

    public void Dispose() => _server.Stop();
}
