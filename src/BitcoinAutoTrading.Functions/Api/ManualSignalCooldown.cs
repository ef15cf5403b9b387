using System.Text.Json;
using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// At most one manual signal run per <see cref="Period"/> (SPEC §7), so a stuck button or a script cannot burn AI
/// tokens or stack orders. The last start is kept in <c>system_config</c> so every instance sees it; the lock keeps two
/// requests on one instance from both passing the check.
/// </summary>
public sealed class ManualSignalCooldown(ISystemConfigRepository config, TimeProvider timeProvider) : IDisposable
{
    public const string ConfigKey = "manual_signal_last_run";

    public static readonly TimeSpan Period = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Records a start and returns null, or returns how long to wait when a run started within the period. The start is
    /// recorded before the run, so a run that fails still counts: retrying a failing AI call in a loop is what the
    /// cooldown exists to stop.
    /// </summary>
    public async Task<TimeSpan?> TryStartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = timeProvider.GetUtcNow();
            var entry = await config.GetAsync(ConfigKey, cancellationToken).ConfigureAwait(false);
            if (entry is not null && TryParse(entry.ValueJson, out var lastRun))
            {
                var wait = lastRun + Period - now;
                if (wait > TimeSpan.Zero)
                {
                    // A clock that ran ahead must not lock the button for longer than one period.
                    return wait > Period ? Period : wait;
                }
            }
            await config.SetAsync(ConfigKey, JsonSerializer.Serialize(now), "api:signals/generate", cancellationToken)
                .ConfigureAwait(false);
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static bool TryParse(string json, out DateTimeOffset value)
    {
        try
        {
            value = JsonSerializer.Deserialize<DateTimeOffset>(json);
            return true;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }
}
