using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// The Polly pipeline around every Upbit call: a per-attempt timeout inside a bounded retry that only ever
/// repeats GETs (transient 5xx/408, 429 with an acceptable Retry-After, timeouts, connection failures).
/// POST and DELETE are never repeated here: the order path decides, after looking the order up by identifier.
/// </summary>
internal static class UpbitResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<UpbitOptions>>().Value;
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options.MaxRetryAfter)),
            });
        }
        builder.AddTimeout(options.RequestTimeout);
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan maxRetryAfter)
    {
        var method = outcome.Result?.RequestMessage?.Method ?? context.GetRequestMessage()?.Method;
        if (method != HttpMethod.Get)
        {
            return false;
        }
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }
        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // A Retry-After longer than we are willing to hold a caller is surfaced instead of waited out.
            var retryAfter = response.Headers.RetryAfter?.Delta;
            return retryAfter is null || retryAfter <= maxRetryAfter;
        }
        return status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
    }
}
