using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Dapper;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

/// <summary>
/// SPEC §16 as a property: after every step of a random (seeded, so reproducible) sequence of forward upserts,
/// out-of-order back-fills, corrections of the forming minute, repeated batches and purges, every stored bar equals the
/// aggregate of its stored minutes computed here in C# (count, OHLC, exact numeric sums), every bucket with minutes has
/// its bar, and the hourly bars whose minutes were purged keep the values they had.
/// </summary>
public sealed class MarketBarsPropertyTests(PostgresDatabaseFixture db, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>
{
    private const int Sequences = 40;
    private const int StepsPerSequence = 14;
    private static readonly string[] Markets = ["KRW-BTC", "KRW-ETH"];
    private static readonly int[] Resolutions = [5, 15, 60];
    private static readonly DateTimeOffset Origin = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task UpsertAndPurge_RandomSequences_EveryBarEqualsTheAggregateOfItsMinutes()
    {
        var repository = new MarketDataRepository(db.DataSource);
        long barsChecked = 0, minutesChecked = 0, steps = 0;
        for (var sequence = 0; sequence < Sequences; sequence++)
        {
            await db.ResetAsync();
            var model = new Model();
            var random = new Random(1_000 + sequence);
            IReadOnlyList<Candle> previous = [];
            for (var step = 0; step < StepsPerSequence; step++)
            {
                var operation = step == 0 ? 0 : random.Next(6);
                var label = $"seed {1_000 + sequence}, step {step}, operation {operation}";
                switch (operation)
                {
                    case 0 or 1:
                        previous = model.Forward(random);
                        await repository.UpsertMinutesAsync(previous);
                        break;
                    case 2:
                        previous = model.Backfill(random);
                        await repository.UpsertMinutesAsync(previous);
                        break;
                    case 3:
                        previous = model.CorrectForming(random);
                        await repository.UpsertMinutesAsync(previous);
                        break;
                    case 4:
                        // The same batch again (a repeated run): nothing may change.
                        Assert.Equal(0, await repository.UpsertMinutesAsync(previous));
                        break;
                    default:
                        var (cutoff, hourlyCutoff) = model.Purge(random);
                        await repository.DeleteOlderThanAsync(cutoff);
                        if (hourlyCutoff is { } hourly)
                        {
                            await repository.DeleteHourlyBarsOlderThanAsync(hourly);
                        }
                        // A run repeated after a purge repeats only what is still inside the retention.
                        previous = previous.Where(c => c.Start >= model.PurgedBefore).ToList();
                        break;
                }
                var (bars, minutes) = await CheckAsync(model, label);
                barsChecked += bars;
                minutesChecked += minutes;
                steps++;
            }
        }
        output.WriteLine($"{Sequences} sequences, {steps} steps: {barsChecked:N0} bar rows and {minutesChecked:N0} minute rows checked");
        Assert.True(barsChecked > 10_000);
    }

    private async Task<(int Bars, int Minutes)> CheckAsync(Model model, string label)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var minutes = (await connection.QueryAsync<MinuteRow>(
            "SELECT market, ts, open, high, low, close, volume, value_krw AS valueKrw FROM market_data ORDER BY market, ts")).ToList();
        var bars = (await connection.QueryAsync<BarRow>(
            "SELECT market, resolution, ts, open, high, low, close, volume, value_krw AS valueKrw, minutes FROM market_bars")).ToList();

        // The table holds exactly the model's minutes, so the expected bars below are built from what was meant to be stored.
        Assert.True(
            model.Minutes.Values.OrderBy(c => c.Market, StringComparer.Ordinal).ThenBy(c => c.Start)
                .Select(c => (c.Market, c.Start.UtcDateTime, c.Open, c.High, c.Low, c.Close, c.Volume, c.ValueKrw))
                .SequenceEqual(minutes.Select(m => (m.Market, m.Ts, m.Open, m.High, m.Low, m.Close, m.Volume, m.ValueKrw))),
            $"{label}: stored minutes differ from the model");

        var expected = Aggregate(minutes);
        foreach (var archived in model.ArchivedHours)
        {
            expected[archived.Key] = archived.Value;
        }
        var actual = bars.ToDictionary(b => (b.Market, (int)b.Resolution, b.Ts));
        foreach (var (key, bar) in expected)
        {
            Assert.True(actual.TryGetValue(key, out var stored), $"{label}: no bar for {key}");
            Assert.True(bar == stored, $"{label}: {key} stored {stored} but its minutes give {bar}");
        }
        Assert.True(expected.Count == actual.Count,
            $"{label}: {actual.Count - expected.Count} bar(s) without minutes: {string.Join(", ", actual.Keys.Except(expected.Keys).Take(5))}");
        return (bars.Count, minutes.Count);
    }

    private static Dictionary<(string, int, DateTime), BarRow> Aggregate(IEnumerable<MinuteRow> minutes) =>
        Resolutions
            .SelectMany(resolution => minutes.GroupBy(m => (m.Market, resolution, Bucket(m.Ts, resolution))))
            .ToDictionary(
                g => g.Key,
                g =>
                {
                    var ordered = g.OrderBy(m => m.Ts).ToList();
                    return new BarRow(
                        g.Key.Market, (short)g.Key.resolution, g.Key.Item3, ordered[0].Open, ordered.Max(m => m.High),
                        ordered.Min(m => m.Low), ordered[^1].Close, ordered.Sum(m => m.Volume), ordered.Sum(m => m.ValueKrw),
                        (short)ordered.Count);
                });

    private static DateTime Bucket(DateTime ts, int resolution)
    {
        var ticks = TimeSpan.FromMinutes(resolution).Ticks;
        return new DateTime(ts.Ticks - (ts.Ticks % ticks), DateTimeKind.Utc);
    }

    /// <summary>What the tables should hold: the minutes written and not purged, and the hourly bars that outlived theirs.</summary>
    private sealed class Model
    {
        private DateTimeOffset _purgedBefore = Origin;

        public DateTimeOffset PurgedBefore => _purgedBefore;

        public Dictionary<(string, DateTimeOffset), Candle> Minutes { get; } = [];

        public Dictionary<(string, int, DateTime), BarRow> ArchivedHours { get; } = [];

        /// <summary>The collector's run: the newest stored minute again, then up to 200 new ones with some minutes missing.</summary>
        public IReadOnlyList<Candle> Forward(Random random)
        {
            var market = Markets[random.Next(Markets.Length)];
            var newest = Minutes.Keys.Where(k => k.Item1 == market).Select(k => k.Item2).DefaultIfEmpty(_purgedBefore.AddMinutes(random.Next(0, 90))).Max();
            var batch = new List<Candle>();
            if (Minutes.TryGetValue((market, newest), out var forming))
            {
                batch.Add(random.Next(2) == 0 ? forming : Reform(forming, random));
            }
            var count = random.Next(1, 200);
            for (var i = 1; i <= count; i++)
            {
                if (random.Next(10) > 0)
                {
                    batch.Add(NewMinute(market, newest.AddMinutes(i), random));
                }
            }
            return Write(batch);
        }

        /// <summary>Minutes inside the stored range (holes filled, others corrected), written in shuffled order, some twice.</summary>
        public IReadOnlyList<Candle> Backfill(Random random)
        {
            var market = Markets[random.Next(Markets.Length)];
            var stored = Minutes.Keys.Where(k => k.Item1 == market).Select(k => k.Item2).ToList();
            if (stored.Count == 0)
            {
                return Forward(random);
            }
            var from = stored.Min();
            var span = (int)(stored.Max() - from).TotalMinutes + 1;
            var start = from.AddMinutes(random.Next(span));
            var batch = new List<Candle>();
            var count = random.Next(1, 200);
            for (var i = 0; i < count; i++)
            {
                var ts = start.AddMinutes(i);
                batch.Add(Minutes.TryGetValue((market, ts), out var existing) && random.Next(3) > 0
                    ? (random.Next(2) == 0 ? existing : Reform(existing, random))
                    : NewMinute(market, ts, random));
            }
            var shuffled = batch.OrderBy(_ => random.Next()).ToList();
            if (shuffled.Count > 1)
            {
                // A minute twice in one batch: the last copy wins.
                shuffled.Add(Reform(shuffled[0], random));
            }
            return Write(shuffled);
        }

        /// <summary>The newest minute of each market rewritten, as the forming minute changes between runs.</summary>
        public IReadOnlyList<Candle> CorrectForming(Random random) => Write(Markets
            .Select(market => Minutes.Values.Where(c => c.Market == market).MaxBy(c => c.Start))
            .OfType<Candle>()
            .Select(c => Reform(c, random))
            .ToList());

        /// <summary>A cutoff somewhere in the stored range; the repository purges whole hours before it.</summary>
        public (DateTimeOffset Cutoff, DateTimeOffset? HourlyCutoff) Purge(Random random)
        {
            if (Minutes.Count == 0)
            {
                return (Origin, null);
            }
            var first = Minutes.Keys.Min(k => k.Item2);
            var last = Minutes.Keys.Max(k => k.Item2);
            var cutoff = first.AddSeconds(random.NextDouble() * (last - first).TotalSeconds);
            var hour = new DateTimeOffset(cutoff.Ticks - (cutoff.Ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
            var purged = Minutes.Values.Where(c => c.Start < hour).ToList();
            foreach (var bar in Aggregate(purged.Select(MinuteRow.From)).Where(b => b.Key.Item2 == 60))
            {
                ArchivedHours[bar.Key] = bar.Value;
            }
            foreach (var candle in purged)
            {
                Minutes.Remove((candle.Market, candle.Start));
            }
            _purgedBefore = hour > _purgedBefore ? hour : _purgedBefore;

            DateTimeOffset? hourlyCutoff = null;
            if (random.Next(3) == 0 && ArchivedHours.Count > 0)
            {
                // Never past the minutes' cutoff: hourly bars outlive their minutes (MarketDataOptions validates it).
                var oldest = ArchivedHours.Keys.Min(k => k.Item3);
                var chosen = oldest.AddMinutes(random.Next(0, (int)(hour.UtcDateTime - oldest).TotalMinutes + 1));
                hourlyCutoff = new DateTimeOffset(chosen, TimeSpan.Zero);
                foreach (var key in ArchivedHours.Keys.Where(k => k.Item3 < chosen).ToList())
                {
                    ArchivedHours.Remove(key);
                }
            }
            return (cutoff, hourlyCutoff);
        }

        private List<Candle> Write(List<Candle> batch)
        {
            // Nothing is written into purged hours: the collector back-fills forward from the newest minute only.
            batch = batch.Where(c => c.Start >= _purgedBefore).ToList();
            foreach (var candle in batch)
            {
                Minutes[(candle.Market, candle.Start)] = candle;
            }
            return batch;
        }

        private static Candle NewMinute(string market, DateTimeOffset start, Random random)
        {
            var open = 90_000_000m + random.Next(0, 10_000) * 1_000m + random.Next(0, 100_000_000) / 100_000_000m;
            var close = open + random.Next(-50, 51) * 1_000m;
            var volume = random.Next(0, 500_000_000) / 100_000_000m;
            return new Candle(market, start, open, Math.Max(open, close) + random.Next(0, 30) * 100m,
                Math.Min(open, close) - random.Next(0, 30) * 100m, close, volume, Math.Round(volume * close, 8));
        }

        private static Candle Reform(Candle minute, Random random)
        {
            var close = minute.Open + random.Next(-50, 51) * 1_000m + random.Next(0, 100) / 100_000_000m;
            var volume = minute.Volume + random.Next(1, 100_000_000) / 100_000_000m;
            return minute with
            {
                High = Math.Max(minute.High, Math.Max(minute.Open, close)),
                Low = Math.Min(minute.Low, Math.Min(minute.Open, close)),
                Close = close,
                Volume = volume,
                ValueKrw = Math.Round(volume * close, 8),
            };
        }
    }

    private sealed record MinuteRow(string Market, DateTime Ts, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, decimal ValueKrw)
    {
        public static MinuteRow From(Candle c) => new(c.Market, c.Start.UtcDateTime, c.Open, c.High, c.Low, c.Close, c.Volume, c.ValueKrw);
    }

    private sealed record BarRow(
        string Market, short Resolution, DateTime Ts, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume,
        decimal ValueKrw, short Minutes);
}
