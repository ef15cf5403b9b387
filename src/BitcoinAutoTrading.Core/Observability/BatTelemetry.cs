using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BitcoinAutoTrading.Core.Observability;

/// <summary>
/// The app's one ActivitySource and Meter (SPEC §9). Instrument names and tags are a contract with the saved KQL
/// queries and alerts in infra/queries: change them together.
/// </summary>
public static class BatTelemetry
{
    public const string Name = "BitcoinAutoTrading";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Seconds per timer-job run; tags <c>job</c>, <c>outcome</c> (succeeded|failed).</summary>
    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("bat.job.duration", "s", "Duration of a timer job run");

    /// <summary>Timer-job runs; tags <c>job</c>, <c>outcome</c>.</summary>
    public static readonly Counter<long> JobRuns = Meter.CreateCounter<long>("bat.job.runs", description: "Timer job runs by outcome");

    /// <summary>Seconds per exchange HTTP call; tags <c>endpoint</c>, <c>status</c>.</summary>
    public static readonly Histogram<double> ExchangeRequestDuration = Meter.CreateHistogram<double>("bat.exchange.request.duration", "s", "Exchange request duration");

    /// <summary>AI tokens; tags <c>kind</c> (input|output|thinking), <c>model</c>.</summary>
    public static readonly Counter<long> AiTokens = Meter.CreateCounter<long>("bat.ai.tokens", "{token}", "AI tokens used");

    /// <summary>Estimated AI cost in US dollars; tag <c>model</c>.</summary>
    public static readonly Counter<double> AiCostUsd = Meter.CreateCounter<double>("bat.ai.cost_usd", "USD", "Estimated AI cost");

    /// <summary>Finished orders; tags <c>side</c> (BUY|SELL), <c>outcome</c> (final order status).</summary>
    public static readonly Counter<long> Orders = Meter.CreateCounter<long>("bat.orders", "{order}", "Finished orders by side and outcome");

    /// <summary>Stored signals; tags <c>type</c> (BUY|SELL|HOLD), <c>provider</c>.</summary>
    public static readonly Counter<long> Signals = Meter.CreateCounter<long>("bat.signals", "{signal}", "Signals generated");

    /// <summary>Risk events; tag <c>type</c> (e.g. STOP_LOSS, DAILY_LIMIT).</summary>
    public static readonly Counter<long> RiskEvents = Meter.CreateCounter<long>("bat.risk.events", "{event}", "Risk events recorded");

    /// <summary>Cache look-ups; tags <c>cache</c>, <c>result</c> (hit|miss).</summary>
    public static readonly Counter<long> CacheRequests = Meter.CreateCounter<long>(CacheRequestsName, CacheRequestsUnit, CacheRequestsDescription);

    // Shared with DI-created meters of the same name so both describe one identical metric stream.
    public const string CacheRequestsName = "bat.cache.requests";
    public const string CacheRequestsUnit = "{request}";
    public const string CacheRequestsDescription = "Cache look-ups by cache and result (hit or miss).";

    public static void RecordCache(string cache, bool hit) =>
        CacheRequests.Add(1, new KeyValuePair<string, object?>("cache", cache), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
}
