using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Functions.Health;

/// <summary>Section <c>HealthCheck</c>.</summary>
public sealed class HealthCheckOptions
{
    public const string Section = "HealthCheck";

    /// <summary>Each probe's own budget; probes run concurrently, so the whole check takes about this long at worst.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:10")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>The GenerateSignal schedule's interval; the last signal is reported stale after twice this.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SignalInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>An order still PENDING or SUBMITTED after this is reported: the order poll gives up after 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan StuckOrderAfter { get; set; } = TimeSpan.FromMinutes(10);
}
