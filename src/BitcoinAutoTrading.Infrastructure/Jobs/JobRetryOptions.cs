using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Infrastructure.Jobs;

/// <summary>In-run retry of timer jobs (section <c>Jobs</c>): 3 retries, 1 s doubling (1 s, 2 s, 4 s).</summary>
public sealed class JobRetryOptions
{
    public const string Section = "Jobs";

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
