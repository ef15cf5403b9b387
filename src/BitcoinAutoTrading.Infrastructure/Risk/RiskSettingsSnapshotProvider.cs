using BitcoinAutoTrading.Core.Observability;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Infrastructure.Risk;

/// <summary>
/// The risk settings as one snapshot per job run (SPEC §5.1, P3): the run's first ask reads every key in one query,
/// the rest of the run shares it. Nothing is kept between runs, so there is no per-process cache to invalidate: the
/// app scales out, and a change made through one instance is in force on all of them from their next run. The kill
/// switch is read on its own at each decision (<see cref="IsTradingEnabledAsync"/>), one row by primary key.
/// </summary>
public sealed partial class RiskSettingsSnapshotProvider(
    ISystemConfigRepository repository, ILogger<RiskSettingsSnapshotProvider> logger) : IRiskSettingsProvider
{
    /// <summary>The <c>bat.cache.requests</c> name: a hit is an ask served by the run's snapshot.</summary>
    public const string CacheName = "risk_settings";

    public async Task<RiskSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        if (RiskSettingsRun.Current is not { } run)
        {
            BatTelemetry.RecordCache(CacheName, hit: false);
            return await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        var snapshot = run.GetOrLoad(() => LoadAsync(cancellationToken), out var fromSnapshot);
        BatTelemetry.RecordCache(CacheName, hit: fromSnapshot);
        return await snapshot.ConfigureAwait(false);
    }

    public async Task<bool> IsTradingEnabledAsync(CancellationToken cancellationToken = default)
    {
        var entry = await repository.GetAsync(RiskSettingKeys.TradingEnabled, cancellationToken).ConfigureAwait(false);
        // The same reading as the snapshot's: a missing or invalid row means the default (enabled), logged.
        return Read(entry is null ? [] : [entry]).TradingEnabled;
    }

    public Task InvalidateAsync(CancellationToken cancellationToken = default)
    {
        RiskSettingsRun.Current?.Forget();
        return Task.CompletedTask;
    }

    private async Task<RiskSettings> LoadAsync(CancellationToken cancellationToken) =>
        Read(await repository.GetAllAsync(cancellationToken).ConfigureAwait(false));

    private RiskSettings Read(IReadOnlyList<ConfigEntry> entries)
    {
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
