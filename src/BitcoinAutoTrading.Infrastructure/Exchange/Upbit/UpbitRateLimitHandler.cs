using System.Data.Common;
using System.Net;
using System.Threading.RateLimiting;
using BitcoinAutoTrading.Core.Exchange;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// Sits inside the retry loop, so every attempt is accounted for: refuses to call while a 418 block lasts (this
/// instance's or one stored by any instance), waits out the second when Upbit reported <c>sec=0</c> for the request's
/// server group, holds a permit of the group's budget from before the send until a second after its answer, then records the
/// status and <c>Remaining-Req</c> for health and starts (and stores) a block on 418.
/// </summary>
internal sealed partial class UpbitRateLimitHandler(
    UpbitRateLimiters limiters,
    UpbitHealthState health,
    UpbitBlockStore blocks,
    IOptions<UpbitOptions> options,
    TimeProvider timeProvider,
    ILogger<UpbitRateLimitHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ThrowIfBlocked();
        var group = UpbitRateLimitGroup.For(request);
        var route = UpbitRateLimitGroup.RouteOf(request);
        await WaitOutExhaustedSecondAsync(request, route, cancellationToken).ConfigureAwait(false);

        var lease = await limiters.For(group).AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new ExchangeUnavailableException($"Too many Upbit requests queued in group '{group}'; try again later.");
        }

        HttpResponseMessage response;
        try
        {
            // A block may have started while we queued, here or on another instance.
            await ThrowIfBlockedAnywhereAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
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
        finally
        {
            // The answer (or the failure) is the latest moment the request can have reached Upbit: counting the second
            // from here holds whatever the connection set-up, the network or the server's queue delayed. Also after a
            // failure, since the request may have reached Upbit and counts against its second.
            limiters.ReleaseAfterWindow(lease, timeProvider.GetUtcNow());
        }

        var now = timeProvider.GetUtcNow();
        RemainingRequests? remaining = null;
        if (response.Headers.TryGetValues(RemainingReqHeader.Name, out var values))
        {
            RemainingReqHeader.TryParse(values.FirstOrDefault(), now, out remaining);
        }
        health.RecordResponse((int)response.StatusCode, remaining, route);

        if ((int)response.StatusCode == 418)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var duration = UpbitBlockDuration.FromRetryAfter(response.Headers.RetryAfter, now)
                ?? UpbitBlockDuration.FromBody(body)
                ?? options.Value.DefaultBlockDuration;
            health.Block(now + duration);
            LogBlocked(logger, now + duration);
            await StoreBlockAsync(now + duration, route, now).ConfigureAwait(false);
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

    private async Task ThrowIfBlockedAnywhereAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await blocks.ActiveUntilAsync(timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false) is { } until)
            {
                health.Block(until);
            }
        }
        catch (DbException ex)
        {
            // The database being down must not also stop the exits' ticker: this instance's own block still holds.
            LogStoreUnavailable(logger, ex.GetType().Name);
        }
        ThrowIfBlocked();
    }

    private async Task StoreBlockAsync(DateTimeOffset until, string route, DateTimeOffset now)
    {
        try
        {
            // Not the caller's token: a block that reached us must reach the other instances even if this call is abandoned.
            await blocks.RecordAsync(until, $"418 on {route}", now, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            LogStoreUnavailable(logger, ex.GetType().Name);
        }
    }

    private async Task WaitOutExhaustedSecondAsync(HttpRequestMessage request, string route, CancellationToken cancellationToken)
    {
        if (health.LastRemainingFor(route, UpbitRateLimitGroup.ExpectedServerGroup(request)) is { PerSecond: <= 0 } last)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared Upbit block record could not be read or written ({ErrorType}); this instance's own state applies")]
    private static partial void LogStoreUnavailable(ILogger logger, string errorType);
}
