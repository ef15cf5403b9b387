using System.Diagnostics.Metrics;
using BitcoinAutoTrading.Core.Observability;

namespace BitcoinAutoTrading.Infrastructure.Exchange;

/// <summary>
/// Counts cache hits and misses. A DI-created meter (not the static one) so tests observing it stay isolated from each other;
/// same name, unit and description as <see cref="BatTelemetry.CacheRequests"/>.
/// </summary>
/// <remarks>Counts cache hits and misses on meter <c>BitcoinAutoTrading</c>, counter <c>bat.cache.requests</c> (tags cache, result).</remarks>
public sealed class ExchangeCacheMetrics
{
    public const string MeterName = BatTelemetry.Name;
    public const string RequestsCounterName = BatTelemetry.CacheRequestsName;

    private readonly Counter<long> _requests;

    public ExchangeCacheMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _requests = meterFactory.Create(MeterName).CreateCounter<long>(
            RequestsCounterName, unit: BatTelemetry.CacheRequestsUnit, description: BatTelemetry.CacheRequestsDescription);
    }

    public void Record(string cache, bool hit) =>
        _requests.Add(1, new KeyValuePair<string, object?>("cache", cache), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
}
