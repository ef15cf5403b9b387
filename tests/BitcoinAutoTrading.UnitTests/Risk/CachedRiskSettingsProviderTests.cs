using System.Diagnostics.Metrics;
using BitcoinAutoTrading.Core.Observability;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Infrastructure.Risk;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static BitcoinAutoTrading.UnitTests.Risk.ProtectiveExitMonitorTests;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class CachedRiskSettingsProviderTests(ITestOutputHelper output) : IDisposable
{
    private readonly RiskHarness _h = new();
    private readonly CountingConfigRepository _repository = new();
    private ServiceProvider? _services;

    public void Dispose() => _services?.Dispose();

    /// <summary>The library cache as the app registers it, with its clock on the test's fake time.</summary>
    private CachedRiskSettingsProvider Provider()
    {
        _repository.Clock = _h.Clock;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_h.Clock);
        services.Configure<MemoryCacheOptions>(o => o.Clock = new FakeClock(_h.Clock));
        services.AddHybridCache();
        _services = services.BuildServiceProvider();
        return new CachedRiskSettingsProvider(
            _repository, _services.GetRequiredService<HybridCache>(), NullLogger<CachedRiskSettingsProvider>.Instance);
    }

    [Fact]
    public async Task GetAsync_Twice_OneQuery()
    {
        _repository.Set("stop_loss_pct", "7");
        var provider = Provider();

        var first = await provider.GetAsync();
        var second = await provider.GetAsync();

        Assert.Equal(7m, first.StopLossPct);
        Assert.Equal(first, second);
        Assert.Single(_repository.Queries);
    }

    [Fact]
    public async Task GetAsync_AfterAnHour_ReadsAgain()
    {
        var provider = Provider();
        await provider.GetAsync();
        _repository.Set("min_confidence", "0.75");

        _h.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0.6m, (await provider.GetAsync()).MinConfidence);
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0.75m, (await provider.GetAsync()).MinConfidence);

        Assert.Equal(2, _repository.Queries.Count);
    }

    [Fact]
    public async Task InvalidateAsync_AfterChange_NextReadSeesNewValueAtOnce()
    {
        var provider = Provider();
        Assert.True((await provider.GetAsync()).TradingEnabled);

        _repository.Set("trading_enabled", "false");
        Assert.True((await provider.GetAsync()).TradingEnabled);
        await provider.InvalidateAsync();

        Assert.False((await provider.GetAsync()).TradingEnabled);
        Assert.Equal(2, _repository.Queries.Count);
    }

    [Fact]
    public async Task GetAsync_StoredValueOutOfRange_DefaultUsed()
    {
        _repository.Set("stop_loss_pct", "90");

        Assert.Equal(5m, (await Provider().GetAsync()).StopLossPct);
    }

    /// <summary>
    /// SPEC P3: a simulated day of jobs, each reading the settings as the real code does. The per-minute exit check
    /// and the signal hand-off run the real Core services; the other jobs read the provider directly.
    /// </summary>
    [Fact]
    public async Task P3_SimulatedDayOfJobs_AtLeast99PercentHitsAndOneQueryPerHour()
    {
        var provider = Provider();
        _h.SettingsProvider = provider;
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);
        var monitor = _h.ExitMonitor();
        var executor = _h.Executor();
        var start = _h.Clock.GetUtcNow();
        long hits = 0, misses = 0;
        using var listener = CacheListener((hit) => { if (hit) { hits++; } else { misses++; } });

        int collections = 0, signalRuns = 0, syncs = 0, evaluations = 0;
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            _h.Clock.SetUtcNow(start.AddMinutes(minute));
            await monitor.CheckAsync(Market, 100_000_000m);              // CollectMarketData → exits + daily loss
            collections++;
            if (minute % 5 == 0)
            {
                await provider.GetAsync();                               // SyncOpenOrders
                syncs++;
            }
            if (minute % 30 == 0)
            {
                await provider.GetAsync();                               // GenerateSignal: thresholds, ai_model
                await executor.ExecuteAsync(minute, Signal(SignalAction.Buy, confidence: 0.5m));
                signalRuns++;
            }
            if (minute % 240 == 0)
            {
                await provider.GetAsync();                               // EvaluateSignals
                evaluations++;
            }
        }

        var reads = hits + misses;
        var ratio = (double)hits / reads;
        var perHour = _repository.Queries.GroupBy(q => (int)(q - start).TotalHours).Select(g => g.Count()).ToList();
        output.WriteLine(
            $"P3: {collections} collections, {signalRuns} signal runs, {syncs} syncs, {evaluations} evaluations → " +
            $"{reads} settings reads, {hits} hits, {misses} misses, hit ratio {ratio:P3}, {_repository.Queries.Count} queries " +
            $"({perHour.Max()} per hour at most) covering {RiskSettingKeys.All.Count} keys");

        Assert.Equal(1440, collections);
        Assert.Equal(24, _repository.Queries.Count);
        Assert.Equal(24, perHour.Count);
        Assert.All(perHour, count => Assert.Equal(1, count));
        Assert.Equal(_repository.Queries.Count, misses);
        Assert.True(ratio >= 0.99, $"hit ratio {ratio:P3}");
    }

    private static MeterListener CacheListener(Action<bool> onRequest)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BatTelemetry.Name && instrument.Name == "bat.cache.requests")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? cache = null, result = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "cache") { cache = tag.Value as string; }
                if (tag.Key == "result") { result = tag.Value as string; }
            }
            if (cache == CachedRiskSettingsProvider.CacheName)
            {
                onRequest(result == "hit");
            }
        });
        listener.Start();
        return listener;
    }

    private sealed class FakeClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }

    /// <summary>system_config in memory, remembering when each full read happened.</summary>
    private sealed class CountingConfigRepository : ISystemConfigRepository
    {
        private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);

        public TimeProvider Clock { get; set; } = TimeProvider.System;

        public List<DateTimeOffset> Queries { get; } = [];

        public void Set(string key, string json) => _values[key] = json;

        public Task<IReadOnlyList<ConfigEntry>> GetAllAsync(CancellationToken cancellationToken = default)
        {
            Queries.Add(Clock.GetUtcNow());
            return Task.FromResult<IReadOnlyList<ConfigEntry>>(
                _values.Select(v => new ConfigEntry(v.Key, v.Value, Clock.GetUtcNow(), null)).ToList());
        }

        public Task<ConfigEntry?> GetAsync(string key, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The settings cache reads all keys in one query.");

        public Task<ConfigEntry> SetAsync(string key, string valueJson, string? updatedBy, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Not used by the cache.");

        public Task<IReadOnlyList<ConfigEntry>> SetManyAsync(
            IReadOnlyDictionary<string, string> valuesJson, string? updatedBy, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Not used by the cache.");
    }
}
