using System.Net;
using BitcoinAutoTrading.Core.Exchange;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// Sits inside the retry loop, so every attempt is accounted for: refuses to call while a 418 block lasts,
/// waits for a permit from the group's limiter (and out the second when Upbit reported <c>sec=0</c>),
/// then records the status and <c>Remaining-Req</c> for health and starts a block on 418.
/// </summary>
internal sealed partial class UpbitRateLimitHandler(
    UpbitRateLimiters limiters,
    UpbitHealthState health,
    IOptions<UpbitOptions> options,
    TimeProvider timeProvider,
    ILogger<UpbitRateLimitHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ThrowIfBlocked();
        var group = UpbitRateLimitGroup.For(request);
        await WaitOutExhaustedSecondAsync(group, cancellationToken).ConfigureAwait(false);

        using var lease = await limiters.For(group).AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new ExchangeUnavailableException($"Too many Upbit requests queued in group '{group}'; try again later.");
        }
        // A block may have started while we queued.
        ThrowIfBlocked();

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // Retries may outlast the health probe's timeout; this lets it say what the attempts ran into.
            health.RecordFailure(TransportFailure.Describe(ex) ?? "the request failed without a response");
            throw;
        }
        var now = timeProvider.GetUtcNow();
        RemainingRequests? remaining = null;
        if (response.Headers.TryGetValues(RemainingReqHeader.Name, out var values))
        {
            RemainingReqHeader.TryParse(values.FirstOrDefault(), now, out remaining);
        }
        health.RecordResponse((int)response.StatusCode, remaining);

        if ((int)response.StatusCode == 418)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var duration = UpbitBlockDuration.FromRetryAfter(response.Headers.RetryAfter, now)
                ?? UpbitBlockDuration.FromBody(body)
                ?? options.Value.DefaultBlockDuration;
            health.Block(now + duration);
            LogBlocked(logger, now + duration);
        }
        else if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            LogThrottled(logger, group, response.Headers.RetryAfter?.Delta);
        }
        return response;
    }

    private void ThrowIfBlocked()
    {
        if (health.ActiveBlockUntil() is { } until)
        {
            throw new ExchangeUnavailableException(
                $"Upbit blocked this client (418) until {until:O}; no request is sent before the block lifts.")
            {
                StatusCode = 418,
                RetryAfter = until - timeProvider.GetUtcNow(),
            };
        }
    }

    private async Task WaitOutExhaustedSecondAsync(string group, CancellationToken cancellationToken)
    {
        if (health.LastRemaining(group) is { PerSecond: <= 0 } last)
        {
            var wait = last.ObservedAt + TimeSpan.FromSeconds(1) - timeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Upbit answered 418: requests are blocked until {BlockedUntil:O}")]
    private static partial void LogBlocked(ILogger logger, DateTimeOffset blockedUntil);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upbit answered 429 in group {Group}; Retry-After {RetryAfter}")]
    private static partial void LogThrottled(ILogger logger, string group, TimeSpan? retryAfter);
}
