using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly;

namespace BitcoinAutoTrading.Infrastructure.Ai.Gemini;

/// <summary>
/// What to retry and how long to wait (SPEC §4.4): 429 and 5xx, timeouts and connection failures are retried;
/// 4xx such as 400/403/404 are not. The wait is the one the server told — the Retry-After header, else the error
/// body's google.rpc.RetryInfo.retryDelay — and the exponential backoff only when it said nothing.
/// </summary>
internal static class GeminiRetryPolicy
{
    private const string RetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";
    private const string QuotaFailureType = "type.googleapis.com/google.rpc.QuotaFailure";

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    public static async ValueTask<bool> ShouldRetryAsync(
        Outcome<HttpResponseMessage> outcome, TimeProvider timeProvider, TimeSpan maxDelay, CancellationToken cancellationToken)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException;
        }
        var response = outcome.Result!;
        if (!IsTransient(response.StatusCode))
        {
            return false;
        }
        // A per-day quota does not come back within any retry delay, whatever RetryInfo says: never retry against it.
        if (response.StatusCode == HttpStatusCode.TooManyRequests
            && IsPerDayQuota(await BodyAsync(response, cancellationToken).ConfigureAwait(false)))
        {
            return false;
        }
        // Waiting longer than we are prepared to is not honouring the server: give up and fall back instead.
        var told = await ToldDelayAsync(response, timeProvider, cancellationToken).ConfigureAwait(false);
        return told is null || told <= maxDelay;
    }

    public static async ValueTask<TimeSpan?> DelayAsync(
        Outcome<HttpResponseMessage> outcome, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        outcome.Result is { } response
            ? await ToldDelayAsync(response, timeProvider, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>The Retry-After header (seconds or HTTP date), else RetryInfo.retryDelay from the body, else null.</summary>
    public static async ValueTask<TimeSpan?> ToldDelayAsync(
        HttpResponseMessage response, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }
            if (retryAfter.Date is { } date)
            {
                var wait = date - timeProvider.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return RetryInfoDelay(await BodyAsync(response, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Buffered so the body can still be read by whoever receives the final response.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True when the error body's <c>google.rpc.QuotaFailure</c> names a per-day quota (a violation whose quotaId
    /// contains "PerDay", e.g. GenerateRequestsPerDayPerProjectPerModel-FreeTier). Per-minute quotas are not per-day.
    /// </summary>
    public static bool IsPerDayQuota(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
                || !error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
            {
                return false;
            }
            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind != JsonValueKind.Object
                    || !detail.TryGetProperty("@type", out var type) || type.GetString() != QuotaFailureType
                    || !detail.TryGetProperty("violations", out var violations) || violations.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }
                foreach (var violation in violations.EnumerateArray())
                {
                    if (violation.ValueKind == JsonValueKind.Object
                        && violation.TryGetProperty("quotaId", out var quotaId) && quotaId.ValueKind == JsonValueKind.String
                        && quotaId.GetString()!.Contains("PerDay", StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads <c>error.details[@type=RetryInfo].retryDelay</c> ("2s", "1.5s", "34.07s"); null when absent or unreadable.</summary>
    public static TimeSpan? RetryInfoDelay(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
                || !error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind == JsonValueKind.Object
                    && detail.TryGetProperty("@type", out var type) && type.GetString() == RetryInfoType
                    && detail.TryGetProperty("retryDelay", out var delay) && delay.ValueKind == JsonValueKind.String
                    && ParseDuration(delay.GetString()) is { } parsed)
                {
                    return parsed;
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A protobuf Duration in JSON: decimal seconds with an 's' suffix.</summary>
    private static TimeSpan? ParseDuration(string? value)
    {
        if (value is null || !value.EndsWith('s'))
        {
            return null;
        }
        return double.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
               && double.IsFinite(seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }
}
