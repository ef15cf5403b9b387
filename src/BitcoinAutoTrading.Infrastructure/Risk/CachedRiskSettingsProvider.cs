using BitcoinAutoTrading.Core.Observability;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Infrastructure.Risk;

/// <summary>
/// The risk settings through HybridCache for an hour (SPEC §5.1, P3). All keys are one entry read by one query, so an
/// hour of jobs costs one round trip; HybridCache joins concurrent misses into that one query. A change made through
/// the app calls <see cref="InvalidateAsync"/>, so it applies at once instead of within the hour.
/// </summary>
public sealed partial class CachedRiskSettingsProvider(
    ISystemConfigRepository repository, HybridCache cache, ILogger<CachedRiskSettingsProvider> logger) : IRiskSettingsProvider
{
    public const string CacheName = "risk_settings";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private const string CacheKey = "risk:settings";
    private static readonly HybridCacheEntryOptions EntryOptions = new() { Expiration = Lifetime, LocalCacheExpiration = Lifetime };

    public async Task<RiskSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var loaded = false;
        var settings = await cache.GetOrCreateAsync(
            CacheKey,
            async ct =>
            {
                loaded = true;
                return await LoadAsync(ct).ConfigureAwait(false);
            },
            EntryOptions,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        BatTelemetry.RecordCache(CacheName, hit: !loaded);
        return settings;
    }

    public async Task InvalidateAsync(CancellationToken cancellationToken = default) =>
        await cache.RemoveAsync(CacheKey, cancellationToken).ConfigureAwait(false);

    private async Task<RiskSettings> LoadAsync(CancellationToken cancellationToken)
    {
        var entries = await repository.GetAllAsync(cancellationToken).ConfigureAwait(false);
        var read = RiskSettingsJson.FromEntries(entries);
        foreach (var ignored in read.Ignored)
        {
            LogIgnored(ignored.Field, ignored.Error);
        }
        return read.Settings;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored setting {Key} ignored, default used instead: {Error}")]
    private partial void LogIgnored(string key, string error);
}
