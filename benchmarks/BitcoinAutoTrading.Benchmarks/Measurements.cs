using System.Diagnostics;
using System.Globalization;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Prompt;
using BitcoinAutoTrading.Core.Signals.Sampling;
using BitcoinAutoTrading.Infrastructure.Persistence;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>SPEC §12 P4, P5, P7, P8, P9, each measured side by side with the approach it replaces.</summary>
internal sealed class Measurements(NpgsqlDataSource dataSource, bool quick)
{
    /// <summary>The benchmark's "now": the newest stored minute is the one before.</summary>
    public static readonly DateTimeOffset AsOf = new(2026, 1, 15, 12, 2, 30, TimeSpan.Zero);

    private const int ThirtyDaysOfMinutes = 30 * 24 * 60;
    private readonly MarketDataRepository _repository = new(dataSource);
    private int Iterations => quick ? 5 : 25;

    /// <summary>31 days of minutes (more than both windows), stored through the app's one-round-trip upsert.</summary>
    public async Task SeedAsync()
    {
        var minutes = BenchData.Minutes(AsOf.AddSeconds(-30).AddMinutes(-1), 31 * 24 * 60);
        foreach (var chunk in minutes.Chunk(5_000))
        {
            await _repository.UpsertMinutesAsync(chunk).ConfigureAwait(false);
        }
        await using var command = dataSource.CreateCommand("VACUUM ANALYZE market_data");
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task<BenchResult> P4StatsAsync()
    {
        var since = AsOf.AddMinutes(-ThirtyDaysOfMinutes).AddSeconds(-30);
        var sql = await _repository.GetStatsAsync(BenchData.Market, since).ConfigureAwait(false);
        var rows = await _repository.GetHistoryAsync(BenchData.Market, since, 100_000).ConfigureAwait(false);
        var csharp = CSharpBaselines.Stats(BenchData.Market, rows);
        if (sql is null || sql with { ChangePct = 0 } != csharp with { ChangePct = 0 } || sql.Minutes != ThirtyDaysOfMinutes)
        {
            throw new InvalidOperationException($"P4: SQL and C# disagree: {sql} vs {csharp}");
        }

        var (sqlMs, loadMs) = await Timing.PairedMedianMsAsync(
            _ => _repository.GetStatsAsync(BenchData.Market, since),
            async _ =>
            {
                var loaded = await _repository.GetHistoryAsync(BenchData.Market, since, 100_000).ConfigureAwait(false);
                CSharpBaselines.Stats(BenchData.Market, loaded);
            }, 2, Iterations).ConfigureAwait(false);
        var ratio = loadMs / sqlMs;
        return new BenchResult(
            "P4", $"/api/market/stats over 30 days ({rows.Count:N0} minutes): SQL aggregate vs load + compute in C#",
            $"{F(sqlMs)} ms vs {F(loadMs)} ms; 1 row vs {rows.Count:N0} rows", $"{F(ratio, 1)}×", "≥ 20× faster, O(1) rows", ratio >= 20)
        {
            Seed = "\"응답시간 15% 개선\"",
            WhyNot = "The SQL side is bound by PostgreSQL aggregating 43,200 numeric rows (EXPLAIN: one Aggregate over a scan of the " +
                     "window, 25–45 ms on this machine, the same with an index-only scan; first/last are two index lookups), while the " +
                     "baseline only pays loopback transfer and Dapper for the same rows on the same two cores. 20× would take a " +
                     "pre-aggregated (e.g. hourly rollup) table, a schema and write-path change outside this harness. Across a " +
                     "network the baseline's 43,200-row transfer grows and the ratio with it.",
        };
    }

    public async Task<(BenchResult Result, MarketSample Sample)> P5SamplingAsync()
    {
        var sampler = new MarketSamplingQuery(dataSource);
        var since = AsOf - TimeSpan.FromDays(15) - TimeSpan.FromHours(2);
        var sample = await sampler.SampleAsync(BenchData.Market, AsOf).ConfigureAwait(false);
        var raw = await _repository.GetHistoryAsync(BenchData.Market, since, 100_000).ConfigureAwait(false);
        var inCSharp = CSharpBaselines.Sample(BenchData.Market, AsOf, raw);
        if (!sample.Long.SequenceEqual(inCSharp.Long) || !sample.Mid.SequenceEqual(inCSharp.Mid) || !sample.Short.SequenceEqual(inCSharp.Short))
        {
            throw new InvalidOperationException("P5: the SQL sample and the C# bucketing disagree.");
        }

        var (sqlMs, rawMs) = await Timing.PairedMedianMsAsync(
            _ => sampler.SampleAsync(BenchData.Market, AsOf),
            async _ =>
            {
                var loaded = await _repository.GetHistoryAsync(BenchData.Market, since, 100_000).ConfigureAwait(false);
                CSharpBaselines.Sample(BenchData.Market, AsOf, loaded);
            }, 2, Iterations).ConfigureAwait(false);
        var ratio = rawMs / sqlMs;
        var rows = sample.BarCount + 1;
        return (new BenchResult(
            "P5", $"prompt sampling (14 days of minutes): one SQL query vs loading {raw.Count:N0} raw rows + bucketing in C#",
            $"{F(sqlMs)} ms vs {F(rawMs)} ms; {rows} rows returned", $"{F(ratio, 1)}×", "≥ 10× faster, ≤ 450 rows",
            ratio >= 10 && rows <= 450)
        {
            Seed = "raw rows loaded and sampled in C#",
            WhyNot = "The rewritten query (444 enumerated bins, each an index-only range on 0004's covering index) went from " +
                     "≈ 90–200 ms to ≈ 20–45 ms in EXPLAIN ANALYZE, but it still aggregates all 21.7k minutes of the window inside " +
                     "PostgreSQL, which costs about what loopback transfer of those rows costs here. 10× would need pre-aggregated " +
                     "bins (a rollup table kept by the collector), outside this change.",
        }, sample);
    }

    public static BenchResult P7PromptTokens(MarketSample sample)
    {
        var prompt = Prompt(sample, MultiTimeframeAnalyzer.Analyze(BenchData.Timeframes(AsOf)));
        var tokens = PromptBuilder.EstimateTokens(prompt);
        const int seedTokens = 4_000;
        return new BenchResult(
            "P7", $"prompt size for the full data set ({sample.BarCount} bars, 4 timeframes, position)",
            $"{tokens:N0} est. tokens ({prompt.Length:N0} chars)", $"{F((double)seedTokens / tokens, 2)}× smaller than the seed's 4,000",
            "≤ 3,000 est. tokens", tokens <= PromptBuilder.MaxEstimatedTokens)
        { Seed = "4,000 tokens" };
    }

    public async Task<BenchResult> P8BackfillAsync()
    {
        // Each iteration writes 200 minutes nobody has stored yet, years before the seeded series.
        var origin = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        IReadOnlyList<Candle> Batch(int iteration, int variant) =>
            BenchData.Minutes(origin.AddMinutes(((iteration + 10) * 2 + variant) * 1_000), 200, seed: iteration + 10);

        var (batchMs, rowMs) = await Timing.PairedMedianMsAsync(
            i => _repository.UpsertMinutesAsync(Batch(i, 0)),
            async i =>
            {
                // The seed's way: one INSERT per minute on one connection, 200 round trips.
                await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
                foreach (var c in Batch(i, 1))
                {
                    await connection.ExecuteAsync("""
                        INSERT INTO market_data (market, ts, open, high, low, close, volume, value_krw)
                        VALUES (@Market, @Start, @Open, @High, @Low, @Close, @Volume, @ValueKrw)
                        ON CONFLICT (market, ts) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low,
                            close = excluded.close, volume = excluded.volume, value_krw = excluded.value_krw
                        """, new { c.Market, Start = c.Start.UtcDateTime, c.Open, c.High, c.Low, c.Close, c.Volume, c.ValueKrw }).ConfigureAwait(false);
                }
            }, 2, Iterations).ConfigureAwait(false);
        var ratio = rowMs / batchMs;
        return new BenchResult(
            "P8", "back-fill 200 minute candles: one upsert round trip vs 200 single-row inserts",
            $"{F(batchMs)} ms vs {F(rowMs)} ms; 1 vs 200 round trips", $"{F(ratio, 1)}×", "one round trip, ≥ 10× faster", ratio >= 10)
        {
            Seed = "row-by-row inserts",
            WhyNot = "Each of the baseline's 200 round trips is a loopback call plus a commit on this machine's local disk " +
                     "(≈ 0.2–0.5 ms), so its total is small and the ratio swings with the load of the other tenants; against " +
                     "a database across a network every round trip adds the network latency and the ratio grows.",
        };
    }

    public BenchResult P9PipelineCpu(MarketSample sample)
    {
        var series = BenchData.Timeframes(AsOf);
        var runs = quick ? 300 : 2_000;
        for (var i = 0; i < 30; i++)
        {
            Prompt(sample, MultiTimeframeAnalyzer.Analyze(series));
        }
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            Prompt(sample, MultiTimeframeAnalyzer.Analyze(series));
        }
        var wallMs = stopwatch.Elapsed.TotalMilliseconds / runs;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / runs;
        return new BenchResult(
            "P9", $"pipeline CPU per run (indicators on 4 × 200 candles, confluence, prompt build), {runs:N0} runs",
            $"{F(wallMs, 3)} ms wall, {F(cpuMs, 3)} ms CPU", $"{F(5 / wallMs, 1)}× under budget", "< 5 ms per run", wallMs < 5);
    }

    private static string Prompt(MarketSample sample, MultiTimeframeAnalysis analysis) => PromptBuilder.Build(
        sample, analysis, DecisionThresholds.Default, sample.Latest!.Close, AsOf, new PortfolioSnapshot(1_000_000m, 0.0123m, 148_500_000m));

    private static string F(double value, int decimals = 2) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
