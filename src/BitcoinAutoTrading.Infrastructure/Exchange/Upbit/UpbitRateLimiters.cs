using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// One client-side limiter per Upbit group, shared by every HttpClient of the process. A sliding one-second
/// window keeps any second at or under the group's budget; callers over budget wait in line rather than fail.
/// </summary>
internal sealed class UpbitRateLimiters : IDisposable
{
    private readonly Dictionary<string, RateLimiter> _limiters;

    public UpbitRateLimiters(IOptions<UpbitOptions> options)
    {
        var settings = options.Value;
        _limiters = new Dictionary<string, RateLimiter>(StringComparer.Ordinal)
        {
            [UpbitRateLimitGroup.Quotation] = Create(settings.QuotationRequestsPerSecond),
            [UpbitRateLimitGroup.Default] = Create(settings.ExchangeRequestsPerSecond),
            [UpbitRateLimitGroup.Order] = Create(settings.OrderRequestsPerSecond),
        };
    }

    public RateLimiter For(string group) => _limiters[group];

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private static SlidingWindowRateLimiter Create(int perSecond) => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = perSecond,
        Window = TimeSpan.FromSeconds(1),
        SegmentsPerWindow = 10,
        QueueLimit = 10_000,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });
}
