using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Core.Market;

/// <summary>PurgeMarketData (SPEC §2.1): deletes minutes older than <see cref="MarketDataOptions.RetentionDays"/>.</summary>
public sealed partial class MarketDataPurger(
    IMarketDataRepository repository,
    IOptions<MarketDataOptions> options,
    TimeProvider clock,
    ILogger<MarketDataPurger> logger)
{
    /// <summary>Returns how many minutes were deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        var deleted = await repository.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
        LogPurged(logger, deleted, cutoff);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Deleted} minute(s) before {Cutoff:o}")]
    private static partial void LogPurged(ILogger logger, int deleted, DateTimeOffset cutoff);
}
