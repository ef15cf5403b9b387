namespace BitcoinAutoTrading.Core.Jobs;

public interface IJobRunRepository
{
    /// <summary>Records a run as running and returns its id.</summary>
    Task<long> StartAsync(string job, DateTimeOffset startedAt, bool isPastDue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a running run as <see cref="JobOutcome.Succeeded"/> or <see cref="JobOutcome.Failed"/>.
    /// Returns false when the run is missing or already finished.
    /// </summary>
    Task<bool> FinishAsync(
        long id, JobOutcome outcome, int attempts, string? error, DateTimeOffset finishedAt,
        CancellationToken cancellationToken = default);

    /// <summary>The most recent run of every job that has run, ordered by job name.</summary>
    Task<IReadOnlyList<JobRun>> GetLatestPerJobAsync(CancellationToken cancellationToken = default);

    /// <summary>The job's runs, newest first.</summary>
    Task<IReadOnlyList<JobRun>> ListAsync(string job, int limit, CancellationToken cancellationToken = default);
}
