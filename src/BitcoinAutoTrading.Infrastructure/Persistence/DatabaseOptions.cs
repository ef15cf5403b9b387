using System.ComponentModel.DataAnnotations;
using System.Data;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Pool and transaction settings (section <c>Database</c>). The connection string itself is <c>ConnectionStrings:Postgres</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The seed's sizing: enough for collection, a signal run, an order and API reads at once.</summary>
    [Range(0, 200)]
    public int MinPoolSize { get; set; } = 10;

    [Range(1, 200)]
    public int MaxPoolSize { get; set; } = 20;

    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>Set explicitly so behaviour never depends on a server default (seed 1.8).</summary>
    public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadCommitted;

    /// <summary>Apply pending migrations when the host starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
