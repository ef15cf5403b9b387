using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Infrastructure.Backtesting;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.UnitTests.Backtesting;
using Dapper;

namespace BitcoinAutoTrading.IntegrationTests.Backtesting;

/// <summary>
/// The backtester's in-memory §4.1 sample against the live SQL sampler on the same stored minutes: every bin (start,
/// OHLC, volume) and the latest minute are equal, at instants on and off the 5-minute grid, with gaps in every window.
/// </summary>
public sealed class MinuteSamplerParityTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sample_SameMinutesAsPostgres_GivesTheSameBinsAsMarketSamplingQuery()
    {
        await database.ResetAsync();
        var asOfs = new[]
        {
            Start.AddDays(16).AddHours(12),
            Start.AddDays(16).AddHours(12).AddMinutes(2).AddSeconds(30),
            Start.AddDays(17).AddHours(3).AddMinutes(59).AddSeconds(59),
            Start.AddDays(15).AddHours(0).AddMinutes(7),
            // Less than 14 days of history: the long window is partly empty.
            Start.AddDays(6).AddHours(5).AddMinutes(31),
        };
        // Holes: a whole long-window hour, part of a mid bin, one short-window minute, a single scattered minute.
        var minutes = GeneratedMarket.Minutes(Start, 18 * 1440, seed: 3)
            .Where(m => !(m.Ts >= Start.AddDays(10).AddHours(4) && m.Ts < Start.AddDays(10).AddHours(5)))
            .Where(m => !(m.Ts >= Start.AddDays(16).AddHours(1).AddMinutes(3) && m.Ts < Start.AddDays(16).AddHours(1).AddMinutes(11)))
            .Where(m => m.Ts != Start.AddDays(16).AddHours(11).AddMinutes(42))
            .Where(m => m.Ts.Minute != 17 || m.Ts.Hour % 5 != 0)
            .ToList();
        await BacktestTestData.InsertMinutesAsync(database.DataSource, minutes);
        var stored = await new BacktestDataReader(database.DataSource).GetMinutesAsync(GeneratedMarket.Market, Start, Start.AddDays(30));
        var series = new MinuteSeries(GeneratedMarket.Market, stored);
        var sampler = new MinuteSampler(series);
        var query = new MarketSamplingQuery(database.DataSource);

        foreach (var asOf in asOfs)
        {
            var expected = await query.SampleAsync(GeneratedMarket.Market, asOf);
            var actual = sampler.Sample(asOf, series.IndexAfter(asOf));

            Assert.True(expected.Long.Count > 100, $"the long window at {asOf:o} must hold bins");
            Assert.Equal(expected.Long, actual.Long);
            Assert.Equal(expected.Mid, actual.Mid);
            Assert.Equal(expected.Short, actual.Short);
            Assert.Equal(expected.Latest, actual.Latest);
        }
        // The live sampler sees only what is stored: the backtester's view with fewer minutes visible matches a
        // database holding only those.
        var cutAt = asOfs[0].AddMinutes(-20);
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM market_data WHERE ts >= @cut", new { cut = cutAt.UtcDateTime });
            // The rollups are kept with the minutes: a database that never stored the later minutes has no bars of them.
            await connection.ExecuteAsync("TRUNCATE market_bars");
        }
        await new MarketDataRepository(database.DataSource).RebuildBarsAsync(GeneratedMarket.Market, Start, cutAt);
        var truncated = await query.SampleAsync(GeneratedMarket.Market, asOfs[0]);
        var hidden = sampler.Sample(asOfs[0], series.IndexAtOrAfter(cutAt));
        Assert.Equal(truncated.Long, hidden.Long);
        Assert.Equal(truncated.Mid, hidden.Mid);
        Assert.Equal(truncated.Short, hidden.Short);
        Assert.Equal(truncated.Latest, hidden.Latest);
    }
}
