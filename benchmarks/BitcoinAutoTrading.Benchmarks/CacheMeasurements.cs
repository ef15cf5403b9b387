using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Infrastructure.Exchange;
using BitcoinAutoTrading.Infrastructure.Risk;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>SPEC §12 P2 and P3: the app's own caches over counting fakes, with caching on and off side by side.</summary>
internal static class CacheMeasurements
{
    /// <summary>The components of one signal cycle that each ask for the ticker and the balances.</summary>
    private const int Askers = 4;

    public static async Task<BenchResult> P2ExchangeCallsAsync()
    {
        // Caching on: the app's CachingExchange (internal to Infrastructure, so created by name) over the counting fake.
        var cachedInner = new CountingExchange(TimeSpan.Zero);
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddHybridCache();
        services.AddSingleton<ExchangeCacheMetrics>();
        await using var provider = services.BuildServiceProvider();
        var cachingType = typeof(ExchangeCacheMetrics).Assembly.GetType("BitcoinAutoTrading.Infrastructure.Exchange.CachingExchange", throwOnError: true)!;
        var cached = (IExchange)ActivatorUtilities.CreateInstance(provider, cachingType, cachedInner);
        await CycleAsync(cached).ConfigureAwait(false);

        // Caching off: the same components straight on the exchange.
        var uncached = new CountingExchange(TimeSpan.Zero);
        await CycleAsync(uncached).ConfigureAwait(false);

        var on = cachedInner.TickerCalls + cachedInner.BalanceCalls;
        var off = uncached.TickerCalls + uncached.BalanceCalls;
        var fewer = 1 - (double)on / off;
        return new BenchResult(
            "P2", $"exchange calls per signal cycle, {Askers} components each asking ticker + balances at once: cache on vs off",
            $"ticker {cachedInner.TickerCalls}, balances {cachedInner.BalanceCalls} vs ticker {uncached.TickerCalls}, balances {uncached.BalanceCalls}",
            $"{fewer:P0} fewer calls", "≤ 1 each; ≥ 60 % fewer calls",
            cachedInner.TickerCalls <= 1 && cachedInner.BalanceCalls <= 1 && fewer >= 0.6)
        { Seed = "\"API 호출 50-60% 감소\" (expected)" };
    }

    private static Task CycleAsync(IExchange exchange) => Task.WhenAll(Enumerable.Range(0, Askers).Select(async _ =>
    {
        await exchange.GetTickerAsync(BenchData.Market).ConfigureAwait(false);
        await exchange.GetBalancesAsync().ConfigureAwait(false);
    }));

    /// <summary>
    /// A simulated day of the app's schedules on one instance (B) against the real <see cref="RiskSettingsSnapshotProvider"/>,
    /// each job in its own <see cref="RiskSettingsRun"/> as the JobRunner opens it, while another instance (A) changes
    /// the shared <c>system_config</c>: the stop-loss every two hours between runs, and a halt that lands in the middle
    /// of a signal run (after its snapshot, before its decision), resumed later. Asks per run follow the code: the
    /// minute collection asks twice (exit check, daily loss), a signal run three times (runner, entry checks, daily
    /// loss) and reads the kill switch once at its decision.
    /// </summary>
    public static async Task<BenchResult> P3ConfigReadsAsync()
    {
        var store = new CountingConfigRepository();
        var instanceB = new RiskSettingsSnapshotProvider(store, NullLogger<RiskSettingsSnapshotProvider>.Instance);

        int asks = 0, decisions = 0, runs = 0, staleRuns = 0, staleDecisions = 0;
        const int minutesPerDay = 24 * 60;
        const int haltAtSignalMinute = 600, resumeAtMinute = 900;
        for (var minute = 0; minute < minutesPerDay; minute++)
        {
            if (minute % 120 == 60)
            {
                // Instance A's PATCH between two runs of B.
                store.Set(RiskSettingKeys.StopLossPct, (minute / 120 % 2 == 0 ? 4 : 6).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (minute == resumeAtMinute)
            {
                store.Set(RiskSettingKeys.TradingEnabled, "true");
            }

            using (RiskSettingsRun.Begin())
            {
                runs++;
                var exits = await instanceB.GetAsync().ConfigureAwait(false);
                var daily = await instanceB.GetAsync().ConfigureAwait(false);
                asks += 2;
                if (exits.StopLossPct != store.StopLossPct || !ReferenceEquals(exits, daily))
                {
                    staleRuns++;
                }
            }
            if (minute % 30 == 0)
            {
                using (RiskSettingsRun.Begin())
                {
                    runs++;
                    for (var i = 0; i < 3; i++)
                    {
                        await instanceB.GetAsync().ConfigureAwait(false);
                    }
                    asks += 3;
                    if (minute == haltAtSignalMinute)
                    {
                        // The halt through A arrives while B's run waits on the model.
                        store.Set(RiskSettingKeys.TradingEnabled, "false");
                    }
                    var enabled = await instanceB.IsTradingEnabledAsync().ConfigureAwait(false);
                    decisions++;
                    if (enabled != store.TradingEnabled)
                    {
                        staleDecisions++;
                    }
                }
            }
        }

        var queries = store.FullReads + store.KeyReads;
        // Reading each key on use: every ask as one query per key, the decision's kill switch as one.
        var perKey = asks * RiskSettingKeys.All.Count + decisions;
        var fewer = 1 - (double)queries / perKey;
        return new BenchResult(
            "P3", $"config queries over a simulated day on one instance ({runs:N0} job runs, {asks:N0} settings asks, {decisions} entry decisions) while another instance changes stop_loss_pct 12 times and halts mid-run; per-run snapshot vs reading each key on use",
            $"{queries:N0} queries ({store.FullReads:N0} snapshots, one per run, + {store.KeyReads} kill-switch reads) vs {perKey:N0} per-key reads; " +
            $"decisions acting on an outdated kill switch: {staleDecisions}; runs acting on outdated settings: {staleRuns}",
            $"{fewer:P2} fewer queries; kill switch 0 decisions late, other settings 0 s stale", "≥ 90 % fewer queries; kill switch instant on every instance, other settings ≤ 60 s stale",
            fewer >= 0.9 && staleDecisions == 0 && staleRuns == 0)
        {
            Seed = "\"DB 쿼리 99% 감소\" (one process, an hour stale)",
        };
    }

    /// <summary>The <c>system_config</c> both instances share, in memory, counting full reads and single-key reads.</summary>
    private sealed class CountingConfigRepository : ISystemConfigRepository
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
        private int _fullReads;
        private int _keyReads;

        public int FullReads => Volatile.Read(ref _fullReads);

        public int KeyReads => Volatile.Read(ref _keyReads);

        public decimal StopLossPct => _values.TryGetValue(RiskSettingKeys.StopLossPct, out var v)
            ? decimal.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : new RiskSettings().StopLossPct;

        public bool TradingEnabled => !_values.TryGetValue(RiskSettingKeys.TradingEnabled, out var v) || v == "true";

        public void Set(string key, string json) => _values[key] = json;

        public Task<IReadOnlyList<ConfigEntry>> GetAllAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _fullReads);
            return Task.FromResult<IReadOnlyList<ConfigEntry>>(
                _values.Select(v => new ConfigEntry(v.Key, v.Value, DateTimeOffset.UnixEpoch, null)).ToList());
        }

        public Task<ConfigEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _keyReads);
            return Task.FromResult(_values.TryGetValue(key, out var v) ? new ConfigEntry(key, v, DateTimeOffset.UnixEpoch, null) : null);
        }

        public Task<ConfigEntry> SetAsync(string key, string valueJson, string? updatedBy, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The benchmark writes through Set.");

        public Task<IReadOnlyList<ConfigEntry>> SetManyAsync(
            IReadOnlyDictionary<string, string> valuesJson, string? updatedBy, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The benchmark writes through Set.");
    }
}
