using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// One client-side budget per Upbit group, shared by every HttpClient of the process. Each request holds a permit from
/// a library <see cref="ConcurrencyLimiter"/> from before it is sent until <see cref="SendWindow"/> after its answer came
/// back (the latest moment it can have reached Upbit), so in any rolling second at most <c>limit − margin</c> requests
/// reach Upbit: every request that arrived in the last second still holds its permit. (A sliding window of segments,
/// counted at acquire time, lets up to twice the budget through across a segment edge; this cannot.) Callers over
/// budget wait in line rather than fail.
/// </summary>
internal sealed class UpbitRateLimiters : IDisposable
{
    /// <summary>A second, plus a little for clock granularity.</summary>
    public static readonly TimeSpan SendWindow = TimeSpan.FromMilliseconds(1_050);

    private readonly Dictionary<string, ConcurrencyLimiter> _limiters;
    private readonly TimeProvider _timeProvider;

    public UpbitRateLimiters(IOptions<UpbitOptions> options, TimeProvider timeProvider)
    {
        var settings = options.Value;
        _timeProvider = timeProvider;
        _limiters = new Dictionary<string, ConcurrencyLimiter>(StringComparer.Ordinal)
        {
            [UpbitRateLimitGroup.Quotation] = Create(settings.QuotationRequestsPerSecond, settings.RequestsPerSecondSafetyMargin),
            [UpbitRateLimitGroup.Default] = Create(settings.ExchangeRequestsPerSecond, settings.RequestsPerSecondSafetyMargin),
            [UpbitRateLimitGroup.Order] = Create(settings.OrderRequestsPerSecond, settings.RequestsPerSecondSafetyMargin),
        };
    }

    public RateLimiter For(string group) => _limiters[group];

    /// <summary>Returns the permit one <see cref="SendWindow"/> after <paramref name="answeredAt"/>.</summary>
    public void ReleaseAfterWindow(RateLimitLease lease, DateTimeOffset answeredAt)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var wait = answeredAt + SendWindow - _timeProvider.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            lease.Dispose();
            return;
        }
        _ = ReleaseLaterAsync(lease, wait);
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private async Task ReleaseLaterAsync(RateLimitLease lease, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _timeProvider).ConfigureAwait(false);
        }
        finally
        {
            lease.Dispose();
        }
    }

    /// <summary>At least one permit, so a margin as large as the limit slows calls down instead of stopping them.</summary>
    internal static int Budget(int perSecond, int margin) => Math.Max(1, perSecond - margin);

    private static ConcurrencyLimiter Create(int perSecond, int margin) => new(new ConcurrencyLimiterOptions
    {
        PermitLimit = Budget(perSecond, margin),
        QueueLimit = 10_000,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });
}
