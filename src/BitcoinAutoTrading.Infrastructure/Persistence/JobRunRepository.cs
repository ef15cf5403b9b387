using BitcoinAutoTrading.Core.Jobs;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Dapper repository over <c>job_runs</c>.</summary>
public sealed class JobRunRepository(NpgsqlDataSource dataSource) : IJobRunRepository
{
    private const string Columns = """
        id AS Id, job AS Job, started_at AS StartedAt, finished_at AS FinishedAt, outcome AS Outcome,
        attempts AS Attempts, is_past_due AS IsPastDue, error AS Error
        """;

    public async Task<long> StartAsync(
        string job, DateTimeOffset startedAt, bool isPastDue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO job_runs (job, started_at, is_past_due) VALUES (@job, @startedAt, @isPastDue) RETURNING id
            """,
            new { job, startedAt = DbValues.Utc(startedAt), isPastDue }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    public async Task<bool> FinishAsync(
        long id, JobOutcome outcome, int attempts, string? error, DateTimeOffset finishedAt,
        CancellationToken cancellationToken = default)
    {
        if (outcome == JobOutcome.Running)
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A finished run has succeeded or failed.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE job_runs SET outcome = @outcome, attempts = @attempts, error = @error, finished_at = @finishedAt
            WHERE id = @id AND outcome = 'running'
            """,
            new { id, outcome = DbValues.ToDb(outcome), attempts, error, finishedAt = DbValues.Utc(finishedAt) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return updated == 1;
    }

    public async Task<IReadOnlyList<JobRun>> GetLatestPerJobAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<JobRunRow>(new CommandDefinition($"""
            SELECT DISTINCT ON (job) {Columns} FROM job_runs ORDER BY job, started_at DESC, id DESC
            """, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    public async Task<IReadOnlyList<JobRun>> ListAsync(string job, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<JobRunRow>(new CommandDefinition(
            $"SELECT {Columns} FROM job_runs WHERE job = @job ORDER BY started_at DESC, id DESC LIMIT @limit",
            new { job, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    private sealed class JobRunRow
    {
        public long Id { get; set; }
        public string Job { get; set; } = "";
        public DateTime StartedAt { get; set; }
        public DateTime? FinishedAt { get; set; }
        public string Outcome { get; set; } = "";
        public int Attempts { get; set; }
        public bool IsPastDue { get; set; }
        public string? Error { get; set; }

        public JobRun ToDomain() => new(
            Id, Job, DbValues.ToOffset(StartedAt), DbValues.ToOffset(FinishedAt), DbValues.ParseJobOutcome(Outcome),
            Attempts, IsPastDue, Error);
    }
}
