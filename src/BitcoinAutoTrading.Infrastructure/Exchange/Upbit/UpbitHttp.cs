using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;
using Polly.Timeout;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// Sends one request through a typed client and turns the outcome into Core's vocabulary: the decoded body,
/// <see cref="ExchangeRejectedException"/> for a 4xx refusal, or <see cref="ExchangeUnavailableException"/>
/// when the outcome is unknown or transient (timeout, connection lost mid-response, 5xx, 429, 418).
/// </summary>
internal static class UpbitHttp
{
    public static async Task<T> SendAsync<T>(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
        where T : class =>
        await SendCoreAsync<T>(http, request, notFoundIsNull: false, cancellationToken).ConfigureAwait(false)
        ?? throw new ExchangeUnavailableException($"Upbit {Describe(request)} answered with an empty body.");

    /// <summary>As <see cref="SendAsync{T}"/>, but a 404 (e.g. <c>order_not_found</c>) is null rather than an error.</summary>
    public static Task<T?> SendOrNullAsync<T>(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
        where T : class =>
        SendCoreAsync<T>(http, request, notFoundIsNull: true, cancellationToken);

    private static async Task<T?> SendCoreAsync<T>(
        HttpClient http, HttpRequestMessage request, bool notFoundIsNull, CancellationToken cancellationToken)
        where T : class
    {
        var what = Describe(request);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<T>(UpbitJson.Options, cancellationToken).ConfigureAwait(false);
            }
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            throw await ToExceptionAsync(what, response, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ExchangeUnavailableException($"Upbit {what} failed before a complete answer arrived ({ex.HttpRequestError}).", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new ExchangeUnavailableException($"Upbit {what} timed out; its outcome is unknown.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ExchangeUnavailableException($"Upbit {what} timed out; its outcome is unknown.", ex);
        }
        catch (JsonException ex)
        {
            throw new ExchangeUnavailableException($"Upbit {what} answered with a body we could not read.", ex);
        }
    }

    private static async Task<Exception> ToExceptionAsync(string what, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        // A date-form Retry-After is resolved against the server's own Date header, so no local clock is needed.
        var retryAfter = response.Headers.RetryAfter?.Delta
            ?? (response.Headers.RetryAfter?.Date is { } until && response.Headers.Date is { } serverNow ? until - serverNow : null);
        if (status == 418 || response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500
            || response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            return new ExchangeUnavailableException($"Upbit {what} answered {status}.") { StatusCode = status, RetryAfter = retryAfter };
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        UpbitErrorDto? error = null;
        try
        {
            error = JsonSerializer.Deserialize<UpbitErrorEnvelope>(body, UpbitJson.Options)?.Error;
        }
        catch (JsonException)
        {
            // Not Upbit's error shape (e.g. a proxy page); the status alone still says it was refused.
        }
        return new ExchangeRejectedException(status, error?.Name ?? $"http_{status}", error?.Message ?? response.ReasonPhrase ?? "refused");
    }

    private static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.OriginalString}";
}
