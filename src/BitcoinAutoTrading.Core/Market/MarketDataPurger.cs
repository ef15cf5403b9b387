using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Core.Market;

/// <summary>
/// PurgeMarketData (SPEC §2.1, §16): deletes minutes, with their 5 m and 15 m bars, older than
/// <see cref="MarketDataOptions.RetentionDays"/>, and hourly bars older than <see cref="MarketDataOptions.HourlyBarRetentionDays"/>.
/// </summary>
public sealed partial class MarketDataPurger(
    IMarketDataRepository repository,
    IOptions<MarketDataOptions> options,
    TimeProvider clock,
    ILogger<MarketDataPurger> logger)
{
    /// <summary>Returns how many minutes were deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(options.Value.RetentionDays);
        var deleted = await repository.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
        var hourlyCutoff = now - TimeSpan.FromDays(options.Value.HourlyBarRetentionDays);
        var hourlyDeleted = await repository.DeleteHourlyBarsOlderThanAsync(hourlyCutoff, cancellationToken).ConfigureAwait(false);
        LogPurged(logger, deleted, cutoff, hourlyDeleted, hourlyCutoff);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Purged {Deleted} minute(s) before {Cutoff:o} and {HourlyDeleted} hourly bar(s) before {HourlyCutoff:o}")]
    private static partial void LogPurged(ILogger logger, int deleted, DateTimeOffset cutoff, int hourlyDeleted, DateTimeOffset hourlyCutoff);
}
