namespace BitcoinAutoTrading.Functions.Health;

/// <summary>Component and overall states, worst last; shown lower-case.</summary>
public static class HealthStatus
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";

    public static int Severity(string status) => status switch
    {
        Healthy => 0,
        Degraded => 1,
        _ => 2,
    };

    public static string Worst(IEnumerable<string> statuses) =>
        statuses.OrderByDescending(Severity).FirstOrDefault() ?? Healthy;
}

public sealed record DatabaseHealth(string Status, double? LatencyMs, string? Detail);

public sealed record UpbitHealth(
    string Status,
    string Mode,
    bool Blocked,
    DateTimeOffset? BlockedUntil,
    int? LastStatusCode,
    DateTimeOffset? LastResponseAt,
    decimal? Price,
    double? LatencyMs,
    string? Detail);

public sealed record AiHealth(string Status, string Provider, string Model, bool GeminiKeyConfigured, bool? LastSignalFallback, string? Detail);

public sealed record JobHealth(string Job, string Outcome, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int Attempts, bool IsPastDue);

public sealed record SchedulerHealth(string Status, IReadOnlyList<JobHealth> Jobs, string? Detail);

public sealed record LastSignalHealth(
    string Status, long? SignalId, string? SignalType, DateTimeOffset? CreatedAt, double? AgeMinutes, double WarnAfterMinutes, string? Detail);

public sealed record LastOrderHealth(
    string Status, long? OrderId, string? OrderStatus, string? Side, DateTimeOffset? CreatedAt, DateTimeOffset? FinishedAt, string? Detail);

/// <summary>GET /api/health/detailed: each component and the overall state (the worst component's); 503 when unhealthy.</summary>
public sealed record DetailedHealthResponse(
    string Status,
    DateTimeOffset CheckedAt,
    double DurationMs,
    DatabaseHealth Database,
    UpbitHealth Upbit,
    AiHealth Ai,
    SchedulerHealth Scheduler,
    LastSignalHealth LastSignal,
    LastOrderHealth LastOrder);
