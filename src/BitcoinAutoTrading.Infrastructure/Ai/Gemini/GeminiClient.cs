using System.Net;
using System.Text;
using System.Text.Json;
using BitcoinAutoTrading.Core.Signals.Providers;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace BitcoinAutoTrading.Infrastructure.Ai.Gemini;

/// <summary>
/// Typed client for <c>POST {BaseUrl}/v1beta/models/{model}:generateContent</c>. The key travels only in the
/// <c>x-goog-api-key</c> header. Retries and the per-attempt timeout live in the client's resilience handler.
/// </summary>
public sealed class GeminiClient(HttpClient httpClient, IOptions<GeminiOptions> options, TimeProvider timeProvider)
{
    public const string ApiKeyHeader = "x-goog-api-key";
    private const int MaxErrorMessageLength = 300;

    /// <summary>The answer of the last attempt, any status; throws <see cref="SignalProviderException"/> when none came.</summary>
    public async Task<GeminiCallResult> GenerateContentAsync(string model, string requestJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            throw new SignalProviderException("Gemini is not configured (Gemini:ApiKey is empty).");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1beta/models/{Uri.EscapeDataString(model)}:generateContent")
        {
            Content = new StringContent(requestJson, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, settings.ApiKey);

        var started = timeProvider.GetTimestamp();
        try
        {
            using var response = await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new GeminiCallResult(response.StatusCode, body, ElapsedMs(started));
        }
        catch (TimeoutRejectedException ex)
        {
            throw new SignalProviderException(
                $"Gemini did not answer within {settings.TimeoutSeconds} s (attempts: {settings.MaxAttempts}).",
                new ProviderUsage(model, null, null, null, ElapsedMs(started)), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SignalProviderException(
                $"Gemini could not be reached: {ex.Message}", new ProviderUsage(model, null, null, null, ElapsedMs(started)), ex);
        }
    }

    /// <summary>"429 RESOURCE_EXHAUSTED: Quota exceeded…" from Google's error envelope, or the bare status.</summary>
    public static string DescribeError(HttpStatusCode status, string body)
    {
        var description = $"{(int)status} {status}";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                description = $"{(int)status} {code ?? status.ToString()}";
                if (!string.IsNullOrEmpty(message))
                {
                    description += ": " + (message.Length > MaxErrorMessageLength ? message[..MaxErrorMessageLength] + "…" : message);
                }
            }
        }
        catch (JsonException)
        {
            // Not Google's envelope (a proxy's HTML page, say): the status alone will do.
        }
        return description;
    }

    private int ElapsedMs(long started) => (int)Math.Min(int.MaxValue, timeProvider.GetElapsedTime(started).TotalMilliseconds);
}

public sealed record GeminiCallResult(HttpStatusCode StatusCode, string Body, int LatencyMs)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
}
