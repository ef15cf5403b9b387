using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Npgsql;
using static BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class MarketDataRepositoryTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly MarketDataRepository _repository = new(db.DataSource);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task UpsertMinutesAsync_200NewMinutes_InsertsAllInOneCommand()
    {
        var minutes = Minutes(200);
        await _repository.GetLatestAsync(Market); // warm the pool so only the upsert is counted

        using var counter = new NpgsqlCommandCounter(new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!);
        var affected = await _repository.UpsertMinutesAsync(minutes);
        var commands = counter.Commands;

        Assert.Equal(200, affected);
        Assert.Single(commands);
        Assert.Contains("unnest", commands[0], StringComparison.Ordinal);
        Assert.Equal(200L, await ScalarAsync<long>("SELECT count(*) FROM market_data"));
    }

    [Fact]
    public async Task UpsertMinutesAsync_SameBatchAgain_ChangesNothing()
    {
        var minutes = Minutes(200);
        await _repository.UpsertMinutesAsync(minutes);
        var versionsBefore = await ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY ts) FROM market_data");

        var affected = await _repository.UpsertMinutesAsync(minutes);

        Assert.Equal(0, affected);
        // Same row versions: nothing was rewritten, not merely rewritten with equal values.
        Assert.Equal(versionsBefore, await ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY ts) FROM market_data"));
        Assert.Equal(200L, await ScalarAsync<long>("SELECT count(*) FROM market_data"));
    }

    [Fact]
    public async Task UpsertMinutesAsync_LastMinuteChanged_UpdatesOnlyThatMinute()
    {
        var minutes = Minutes(200);
        await _repository.UpsertMinutesAsync(minutes);
        var last = minutes[^1];
        minutes[^1] = last with { High = last.High + 5_000m, Close = last.High + 4_000m, Volume = last.Volume + 1m };

        var affected = await _repository.UpsertMinutesAsync(minutes);

        Assert.Equal(1, affected);
        var stored = await _repository.GetLatestAsync(Market);
        Assert.NotNull(stored);
        Assert.Equal(last.Start, stored.Ts);
        Assert.Equal(last.High + 5_000m, stored.High);
        Assert.Equal(last.High + 4_000m, stored.Close);
        Assert.Equal(last.Volume + 1m, stored.Volume);
    }

    [Fact]
    public async Task UpsertMinutesAsync_MinuteTwiceInBatch_LastCopyWins()
    {
        var first = Minutes(1)[0];
        var second = first with { Close = first.Close + 100m, High = first.High + 100m };

        var affected = await _repository.UpsertMinutesAsync([first, second]);

        Assert.Equal(1, affected);
        Assert.Equal(second.Close, (await _repository.GetLatestAsync(Market))!.Close);
    }

    [Fact]
    public async Task UpsertMinutesAsync_StartWithKstOffset_StoresSameUtcInstant()
    {
        var utc = Minutes(1)[0];
        var kst = utc with { Start = utc.Start.ToOffset(TimeSpan.FromHours(9)) };

        await _repository.UpsertMinutesAsync([kst]);
        var stored = await _repository.GetLatestAsync(Market);

        Assert.NotNull(stored);
        Assert.Equal(TimeSpan.Zero, stored.Ts.Offset);
        Assert.Equal(utc.Start, stored.Ts);
    }

    [Fact]
    public async Task UpsertMinutesAsync_EmptyBatch_ReturnsZero()
    {
        Assert.Equal(0, await _repository.UpsertMinutesAsync([]));
    }

    [Fact]
    public async Task GetLatestAsync_TwoMarkets_ReturnsNewestMinuteOfTheAskedMarket()
    {
        var btc = Minutes(10);
        await _repository.UpsertMinutesAsync([.. btc, .. Minutes(20, market: "KRW-ETH", basePrice: 4_000_000m)]);

        var latest = await _repository.GetLatestAsync(Market);

        Assert.NotNull(latest);
        Assert.True(latest.Id > 0);
        Assert.Equal(Market, latest.Market);
        Assert.Equal(btc[^1].Start, latest.Ts);
        Assert.Equal((btc[^1].Open, btc[^1].High, btc[^1].Low, btc[^1].Close, btc[^1].Volume, btc[^1].ValueKrw),
            (latest.Open, latest.High, latest.Low, latest.Close, latest.Volume, latest.ValueKrw));
        Assert.Null(await _repository.GetLatestAsync("KRW-XRP"));
    }

    [Fact]
    public async Task GetHistoryAsync_SinceAndLimit_ReturnsNewestFirstWithinWindow()
    {
        var minutes = Minutes(60);
        await _repository.UpsertMinutesAsync(minutes);

        var all = await _repository.GetHistoryAsync(Market, T0.AddMinutes(50), limit: 100);
        var limited = await _repository.GetHistoryAsync(Market, T0, limit: 5);

        Assert.Equal(minutes.Skip(50).Select(m => m.Start).Reverse(), all.Select(m => m.Ts));
        Assert.Equal(minutes.TakeLast(5).Select(m => m.Start).Reverse(), limited.Select(m => m.Ts));
    }

    [Fact]
    public async Task GetStatsAsync_Window_FirstOpenLastCloseExtremesAndSums()
    {
        var minutes = Minutes(120);
        await _repository.UpsertMinutesAsync([.. minutes, .. Minutes(5, market: "KRW-ETH", basePrice: 4_000_000m)]);
        var window = minutes.Skip(30).ToList();

        var stats = await _repository.GetStatsAsync(Market, T0.AddMinutes(30));

        Assert.NotNull(stats);
        Assert.Equal(Market, stats.Market);
        Assert.Equal(window[0].Start, stats.From);
        Assert.Equal(window[^1].Start, stats.To);
        Assert.Equal(window[0].Open, stats.Open);
        Assert.Equal(window[^1].Close, stats.Close);
        Assert.Equal(window.Max(m => m.High), stats.High);
        Assert.Equal(window.Min(m => m.Low), stats.Low);
        Assert.Equal(window.Sum(m => m.Volume), stats.Volume);
        Assert.Equal(window.Sum(m => m.ValueKrw), stats.ValueKrw);
        Assert.Equal(90, stats.Minutes);
        Assert.Equal(Math.Round((window[^1].Close - window[0].Open) / window[0].Open * 100m, 6), stats.ChangePct);
    }

    [Fact]
    public async Task GetStatsAsync_NoMinutesInWindow_ReturnsNull()
    {
        await _repository.UpsertMinutesAsync(Minutes(10));

        Assert.Null(await _repository.GetStatsAsync(Market, T0.AddHours(1)));
        Assert.Null(await _repository.GetStatsAsync("KRW-ETH", T0));
    }

    [Fact]
    public async Task GetCloseAtOrBeforeAsync_InstantBetweenMinutes_ReturnsTheMinuteBefore()
    {
        var minutes = Minutes(10);
        await _repository.UpsertMinutesAsync(minutes);

        var between = await _repository.GetCloseAtOrBeforeAsync(Market, T0.AddMinutes(4).AddSeconds(30));
        var exact = await _repository.GetCloseAtOrBeforeAsync(Market, T0.AddMinutes(7));
        var later = await _repository.GetCloseAtOrBeforeAsync(Market, T0.AddDays(1));
        var before = await _repository.GetCloseAtOrBeforeAsync(Market, T0.AddSeconds(-1));

        Assert.Equal((minutes[4].Start, minutes[4].Close), (between!.Ts, between.Close));
        Assert.Equal(minutes[7].Close, exact!.Close);
        Assert.Equal(minutes[9].Start, later!.Ts);
        Assert.Null(before);
    }

    [Fact]
    public async Task DeleteOlderThanAsync_Cutoff_DeletesOlderMinutesAndKeepsSignalsThatSawThem()
    {
        await _repository.UpsertMinutesAsync(Minutes(100));
        var oldMinute = await _repository.GetCloseAtOrBeforeAsync(Market, T0.AddMinutes(10));
        var signals = new SignalRepository(db.DataSource);
        var signalId = await signals.InsertAsync(Signal(T0.AddMinutes(11), marketDataId: oldMinute!.Id));

        // The cutoff is rounded down to its hour (T0 + 1 h), so no bar keeps part of its minutes.
        var deleted = await _repository.DeleteOlderThanAsync(T0.AddMinutes(70));

        Assert.Equal(60, deleted);
        Assert.Equal(40L, await ScalarAsync<long>("SELECT count(*) FROM market_data"));
        Assert.Equal(T0.AddMinutes(60), (await _repository.GetHistoryAsync(Market, T0, 1000))[^1].Ts);
        var signal = await signals.GetByIdAsync(signalId);
        Assert.NotNull(signal);
        Assert.Null(signal.MarketDataId);
    }

    [Fact]
    public async Task UpsertMinutesAsync_NegativePrice_RejectedByCheckConstraint()
    {
        var bad = Minutes(1)[0] with { Low = -1m };

        var error = await Assert.ThrowsAsync<PostgresException>(() => _repository.UpsertMinutesAsync([bad]));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal("ck_market_data_prices_positive", error.ConstraintName);
    }

    [Fact]
    public async Task UpsertMinutesAsync_200NewMinutes_WritesTheBarsOfEveryResolutionInTheSameRoundTrip()
    {
        // 200 minutes from 00:00 to 03:19: 40 five-minute, 14 fifteen-minute and 4 hourly buckets (the last ones partial).
        var minutes = Minutes(200);
        await _repository.GetLatestAsync(Market);

        using var counter = new NpgsqlCommandCounter(new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!);
        await _repository.UpsertMinutesAsync(minutes);

        Assert.Single(counter.Commands);
        Assert.Equal(
            [(5, 40L), (15, 14L), (60, 4L)],
            (await QueryAsync<(int, long)>("SELECT resolution::int, count(*) FROM market_bars GROUP BY resolution ORDER BY 1")));
        var hours = await _repository.GetBarsAsync(Market, CandleInterval.Hour1, T0, 10);
        AssertBar(minutes.Skip(180).ToList(), hours[0]);
        AssertBar(minutes.Take(60).ToList(), hours[^1]);
        var fives = await _repository.GetBarsAsync(Market, CandleInterval.Minute5, T0, 100);
        AssertBar(minutes.Skip(195).ToList(), fives[0]);
        var quarters = await _repository.GetBarsAsync(Market, CandleInterval.Minute15, T0.AddMinutes(15), 1_000);
        Assert.Equal(13, quarters.Count);
        AssertBar(minutes.Skip(15).Take(15).ToList(), quarters[^1]);
    }

    [Fact]
    public async Task UpsertMinutesAsync_OutOfOrderBackfillAndFormingMinuteCorrection_RecomputesThoseBuckets()
    {
        var minutes = Minutes(120);
        // Newest first, with a hole at minutes 40–49 that a later back-fill closes.
        await _repository.UpsertMinutesAsync([.. minutes.Skip(50).Reverse(), .. minutes.Take(40)]);
        Assert.Equal(50, (await _repository.GetBarsAsync(Market, CandleInterval.Hour1, T0, 10))[^1].Minutes);

        var corrected = minutes[^1] with { High = minutes[^1].High + 9_000m, Close = minutes[^1].High + 8_000m, Volume = 7.5m };
        await _repository.UpsertMinutesAsync([minutes[45], minutes[41], corrected, minutes[49], .. minutes.Skip(40).Take(10)]);

        minutes[^1] = corrected;
        var hours = await _repository.GetBarsAsync(Market, CandleInterval.Hour1, T0, 10);
        AssertBar(minutes.Skip(60).ToList(), hours[0]);
        AssertBar(minutes.Take(60).ToList(), hours[1]);
        AssertBar(minutes.Skip(40).Take(5).ToList(), (await _repository.GetBarsAsync(Market, CandleInterval.Minute5, T0.AddMinutes(40), 100))[^1]);
        AssertBar(minutes.Skip(115).ToList(), (await _repository.GetBarsAsync(Market, CandleInterval.Minute5, T0, 1))[0]);
    }

    [Fact]
    public async Task UpsertMinutesAsync_SameBatchAgain_RewritesNoBar()
    {
        var minutes = Minutes(200);
        await _repository.UpsertMinutesAsync(minutes);
        var versionsBefore = await ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY resolution, ts) FROM market_bars");

        await _repository.UpsertMinutesAsync(minutes);

        Assert.Equal(versionsBefore, await ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY resolution, ts) FROM market_bars"));
    }

    [Fact]
    public async Task DeleteOlderThanAsync_Cutoff_DeletesFiveAndFifteenMinuteBarsWithTheirMinutesAndKeepsHourlyBars()
    {
        var minutes = Minutes(180);
        await _repository.UpsertMinutesAsync(minutes);

        await _repository.DeleteOlderThanAsync(T0.AddMinutes(125));

        Assert.Equal(T0.AddHours(2), (await _repository.GetBarsAsync(Market, CandleInterval.Minute5, T0, 1_000))[^1].Start);
        Assert.Equal(T0.AddHours(2), (await _repository.GetBarsAsync(Market, CandleInterval.Minute15, T0, 1_000))[^1].Start);
        var hours = await _repository.GetBarsAsync(Market, CandleInterval.Hour1, T0, 10);
        Assert.Equal(3, hours.Count);
        AssertBar(minutes.Take(60).ToList(), hours[^1]);

        Assert.Equal(2, await _repository.DeleteHourlyBarsOlderThanAsync(T0.AddHours(2)));
        Assert.Equal([T0.AddHours(2)], (await _repository.GetBarsAsync(Market, CandleInterval.Hour1, T0, 10)).Select(b => b.Start));
    }

    [Fact]
    public async Task RebuildBarsAsync_MinutesLoadedWithoutTheUpsert_BuildsTheBarsOfTheirHours()
    {
        var minutes = Minutes(150);
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            foreach (var c in minutes)
            {
                await Dapper.SqlMapper.ExecuteAsync(connection,
                    "INSERT INTO market_data (market, ts, open, high, low, close, volume, value_krw) VALUES (@Market, @Start, @Open, @High, @Low, @Close, @Volume, @ValueKrw)",
                    new { c.Market, Start = c.Start.UtcDateTime, c.Open, c.High, c.Low, c.Close, c.Volume, c.ValueKrw });
            }
        }
        Assert.Empty(await _repository.GetBarsAsync(Market, CandleInterval.Hour1, T0, 10));

        // Minutes 70–80 lie in the second hour: that whole hour is rebuilt, the others are left alone.
        var written = await _repository.RebuildBarsAsync(Market, T0.AddMinutes(70), T0.AddMinutes(80));

        Assert.Equal(12 + 4 + 1, written);
        AssertBar(minutes.Skip(60).Take(60).ToList(), Assert.Single(await _repository.GetBarsAsync(Market, CandleInterval.Hour1, T0, 10)));
        Assert.Equal(0, await _repository.RebuildBarsAsync(Market, T0.AddMinutes(70), T0.AddMinutes(80)));
        Assert.Equal(3 + 10 + 30 - 17, await _repository.RebuildBarsAsync(Market, T0, T0.AddHours(3)));
    }

    [Fact]
    public async Task GetBarsAsync_SinceAndLimit_NewestFirstOfTheAskedMarketAndResolution()
    {
        await _repository.UpsertMinutesAsync([.. Minutes(120), .. Minutes(120, market: "KRW-ETH", basePrice: 4_000_000m)]);

        var bars = await _repository.GetBarsAsync(Market, CandleInterval.Minute15, T0.AddMinutes(50), limit: 3);

        Assert.Equal([T0.AddMinutes(105), T0.AddMinutes(90), T0.AddMinutes(75)], bars.Select(b => b.Start));
        Assert.All(bars, b => Assert.Equal((Market, CandleInterval.Minute15, 15), (b.Market, b.Resolution, b.Minutes)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _repository.GetBarsAsync(Market, CandleInterval.Minute1, T0, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _repository.GetBarsAsync(Market, CandleInterval.Hour4, T0, 10));
    }

    [Fact]
    public async Task GetStatsAsync_WindowOfWholeHoursAndPartialEdges_EqualsTheMinutesAggregate()
    {
        var minutes = Minutes(300);
        await _repository.UpsertMinutesAsync(minutes);
        var window = minutes.Skip(37).ToList();

        var stats = await _repository.GetStatsAsync(Market, T0.AddMinutes(36).AddSeconds(20));

        Assert.NotNull(stats);
        Assert.Equal((window[0].Start, window[^1].Start, window[0].Open, window[^1].Close), (stats.From, stats.To, stats.Open, stats.Close));
        Assert.Equal((window.Max(m => m.High), window.Min(m => m.Low)), (stats.High, stats.Low));
        Assert.Equal((window.Sum(m => m.Volume), window.Sum(m => m.ValueKrw), window.Count), (stats.Volume, stats.ValueKrw, stats.Minutes));
    }

    [Fact]
    public async Task GetStatsAsync_WholeHours_ReadsTheHourlyBarsNotTheirMinutes()
    {
        await _repository.UpsertMinutesAsync(Minutes(180));
        // A bar that disagrees with its minutes shows through: the reader takes whole hours from the bars.
        await using (var command = db.DataSource.CreateCommand(
            "UPDATE market_bars SET volume = 1000000, minutes = 1 WHERE resolution = 60 AND ts = @ts"))
        {
            command.Parameters.AddWithValue("ts", T0.AddHours(1));
            await command.ExecuteNonQueryAsync();
        }

        var stats = await _repository.GetStatsAsync(Market, T0.AddMinutes(30));

        Assert.NotNull(stats);
        Assert.Equal(30 + 1 + 60, stats.Minutes);
        Assert.True(stats.Volume > 1_000_000m);
    }

    private static void AssertBar(IReadOnlyList<Candle> minutes, BitcoinAutoTrading.Core.Market.MarketBar bar)
    {
        Assert.Equal(minutes.Min(m => m.Start), bar.Start);
        Assert.Equal(
            (minutes[0].Open, minutes.Max(m => m.High), minutes.Min(m => m.Low), minutes[^1].Close,
             minutes.Sum(m => m.Volume), minutes.Sum(m => m.ValueKrw), minutes.Count),
            (bar.Open, bar.High, bar.Low, bar.Close, bar.Volume, bar.ValueKrw, bar.Minutes));
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return (await Dapper.SqlMapper.QueryAsync<T>(connection, sql)).ToList();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
