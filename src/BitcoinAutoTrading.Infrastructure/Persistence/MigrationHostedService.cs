using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>
/// Applies pending migrations before the host starts serving triggers, when <c>Database:MigrateOnStartup</c> is on.
/// Guarded by the migrator's advisory lock, so scaled-out instances starting together are safe.
/// </summary>
internal sealed class MigrationHostedService(DatabaseMigrator migrator, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
