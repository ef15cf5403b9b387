using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Infrastructure.Risk;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static BitcoinAutoTrading.UnitTests.Risk.ProtectiveExitMonitorTests;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>SPEC §5.1: one settings snapshot per run, nothing kept between runs, the kill switch read at each decision.</summary>
public sealed class RiskSettingsSnapshotProviderTests(ITestOutputHelper output)
{
    private readonly RiskHarness _h = new();
    private readonly CountingConfigRepository _repository = new();

    private RiskSettingsSnapshotProvider Provider() => new(_repository, NullLogger<RiskSettingsSnapshotProvider>.Instance);

    [Fact]
    public async Task GetAsync_ManyAsksInOneRun_OneQueryOneSnapshot()
    {
        _repository.Set("stop_loss_pct", "7");
        var provider = Provider();

        RiskSettings first, second, third;
        using (RiskSettingsRun.Begin())
        {
            first = await provider.GetAsync();
            // Changed by another instance mid-run: this run keeps its consistent snapshot.
            _repository.Set("stop_loss_pct", "9");
            var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => provider.GetAsync()));
            second = concurrent[0];
            Assert.All(concurrent, s => Assert.Same(first, s));
        }
        using (RiskSettingsRun.Begin())
        {
            third = await provider.GetAsync();
        }

        Assert.Equal(7m, first.StopLossPct);
        Assert.Same(first, second);
        Assert.Equal(9m, third.StopLossPct);
        Assert.Equal(2, _repository.FullReads);
    }

    [Fact]
    public async Task GetAsync_OutsideAnyRun_ReadsEveryTimeSoNeverStale()
    {
        var provider = Provider();
        Assert.Equal(0.6m, (await provider.GetAsync()).MinConfidence);

        _repository.Set("min_confidence", "0.75");

        Assert.Equal(0.75m, (await provider.GetAsync()).MinConfidence);
        Assert.Equal(2, _repository.FullReads);
    }

    [Fact]
    public async Task Begin_InsideAnOpenRun_JoinsItAndKeepsItsSnapshot()
    {
        var provider = Provider();
        using (RiskSettingsRun.Begin())
        {
            var outer = await provider.GetAsync();
            using (RiskSettingsRun.Begin())
            {
                Assert.Same(outer, await provider.GetAsync());
            }
            // The inner scope's end does not close the outer run.
            Assert.Same(outer, await provider.GetAsync());
        }

        Assert.Equal(1, _repository.FullReads);
        Assert.Null(RiskSettingsRun.Current);
    }

    [Fact]
    public async Task GetAsync_LoadFailedInTheRun_NextAskReadsAgain()
    {
        var provider = Provider();
        using var run = RiskSettingsRun.Begin();
        _repository.FailNext = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetAsync());
        _repository.Set("take_profit_pct", "9");

        Assert.Equal(9m, (await provider.GetAsync()).TakeProfitPct);
        Assert.Equal(2, _repository.FullReads);
    }

    [Fact]
    public async Task InvalidateAsync_AfterAChangeInTheRun_NextAskSeesIt()
    {
        var provider = Provider();
        using var run = RiskSettingsRun.Begin();
        Assert.True((await provider.GetAsync()).TradingEnabled);

        _repository.Set("trading_enabled", "false");
        Assert.True((await provider.GetAsync()).TradingEnabled);
        await provider.InvalidateAsync();

        Assert.False((await provider.GetAsync()).TradingEnabled);
    }

    [Fact]
    public async Task IsTradingEnabledAsync_HaltAfterTheRunsSnapshot_SeesTheHaltAtOnce()
    {
        var provider = Provider();
        using var run = RiskSettingsRun.Begin();
        Assert.True((await provider.GetAsync()).TradingEnabled);

        _repository.Set("trading_enabled", "false");

        Assert.False(await provider.IsTradingEnabledAsync());
        Assert.Equal(1, _repository.KeyReads);
    }

    [Fact]
    public async Task IsTradingEnabledAsync_StoredValueInvalid_DefaultEnabled()
    {
        _repository.Set("trading_enabled", "\"maybe\"");

        Assert.True(await Provider().IsTradingEnabledAsync());
    }

    [Fact]
    public async Task GetAsync_StoredValueOutOfRange_DefaultUsed()
    {
        _repository.Set("stop_loss_pct", "90");

        Assert.Equal(5m, (await Provider().GetAsync()).StopLossPct);
    }

    /// <summary>
    /// SPEC P3: a simulated day of jobs, each in its own run as the JobRunner opens it, running the real Core services
    /// (exit check + daily loss every minute with a position held, the signal hand-off every 30 minutes).
    /// </summary>
    [Fact]
    public async Task P3_SimulatedDayOfJobs_OneQueryPerRunAndAtLeast90PercentFewerThanPerKeyReads()
    {
        var provider = Provider();
        _h.SettingsProvider = provider;
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);
        var monitor = _h.ExitMonitor();
        var executor = _h.Executor();
        var start = _h.Clock.GetUtcNow();

        var runs = 0;
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            _h.Clock.SetUtcNow(start.AddMinutes(minute));
            using (RiskSettingsRun.Begin())
            {
                await monitor.CheckAsync(Market, 100_000_000m);          // CollectMarketData → exits + daily loss
                runs++;
            }
            if (minute % 30 == 0)
            {
                using (RiskSettingsRun.Begin())
                {
                    await provider.GetAsync();                           // GenerateSignal: thresholds, ai_model
                    await executor.ExecuteAsync(minute, Signal(SignalAction.Buy, confidence: 0.5m));
                    runs++;
                }
            }
        }

        var queries = _repository.FullReads + _repository.KeyReads;
        output.WriteLine($"P3: {runs} runs → {_repository.FullReads} snapshot queries + {_repository.KeyReads} kill-switch reads");
        Assert.Equal(24 * 60 + 48, runs);
        Assert.Equal(runs, _repository.FullReads);
        Assert.Equal(48, _repository.KeyReads);
        // Per-key reads: each component's ask as one query per key (2 asks per minute run: exits, daily loss; 3 per signal run: runner, entry checks, daily loss).
        var perKey = (24 * 60 * 2 + 48 * 3) * RiskSettingKeys.All.Count;
        Assert.True(1 - (double)queries / perKey >= 0.9, $"{queries} queries against {perKey} per-key reads");
    }

    /// <summary>system_config in memory, counting full reads and single-key reads.</summary>
    internal sealed class CountingConfigRepository : ISystemConfigRepository
    {
        private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);
        private int _fullReads;
        private int _keyReads;

        public int FullReads => Volatile.Read(ref _fullReads);

        public int KeyReads => Volatile.Read(ref _keyReads);

        public bool FailNext { get; set; }

        public void Set(string key, string json)
        {
            lock (_values)
            {
                _values[key] = json;
            }
        }

        public async Task<IReadOnlyList<ConfigEntry>> GetAllAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _fullReads);
            // A real query's latency, so concurrent asks in a run overlap the load.
            await Task.Yield();
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("database down");
            }
            lock (_values)
            {
                return _values.Select(v => new ConfigEntry(v.Key, v.Value, DateTimeOffset.UnixEpoch, null)).ToList();
            }
        }

        public Task<ConfigEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _keyReads);
            lock (_values)
            {
                return Task.FromResult(_values.TryGetValue(key, out var v) ? new ConfigEntry(key, v, DateTimeOffset.UnixEpoch, null) : null);
            }
        }

        public Task<ConfigEntry> SetAsync(string key, string valueJson, string? updatedBy, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Not used by the provider.");

        public Task<IReadOnlyList<ConfigEntry>> SetManyAsync(
            IReadOnlyDictionary<string, string> valuesJson, string? updatedBy, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Not used by the provider.");
    }
}
