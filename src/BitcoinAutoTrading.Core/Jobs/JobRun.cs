namespace BitcoinAutoTrading.Core.Jobs;

/// <summary>One run of a timer job (<c>job_runs</c>), for health checks and alerting.</summary>
public sealed record JobRun(
    long Id,
    string Job,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    JobOutcome Outcome,
    int Attempts,
    bool IsPastDue,
    string? Error);
