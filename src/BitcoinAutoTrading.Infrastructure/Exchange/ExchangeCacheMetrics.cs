using System.Diagnostics.Metrics;

namespace BitcoinAutoTrading.Infrastructure.Exchange;

/// <summary>Counts cache hits and misses on meter <c>BitcoinAutoTrading</c>, counter <c>bat.cache.requests</c> (tags cache, result).</summary>
public sealed class ExchangeCacheMetrics
{
    public const string MeterName = "BitcoinAutoTrading";
    public const string RequestsCounterName = "bat.cache.requests";

    private readonly Counter<long> _requests;

    public ExchangeCacheMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _requests = meterFactory.Create(MeterName).CreateCounter<long>(
            RequestsCounterName, unit: "{request}", description: "Cache look-ups by cache and result (hit or miss).");
    }

    public void Record(string cache, bool hit) =>
        _requests.Add(1, new KeyValuePair<string, object?>("cache", cache), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
}
