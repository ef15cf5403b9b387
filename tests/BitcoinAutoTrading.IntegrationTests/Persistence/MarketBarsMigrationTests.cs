using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Dapper;
using static BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

/// <summary>The rollups migration on a database that already holds minutes: it builds every bar from them.</summary>
public sealed class MarketBarsMigrationTests
{
    [Fact]
    public async Task MarketBarsMigration_MinutesAlreadyStored_BuildsEveryBarFromThem()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        try
        {
            await using var dataSource = PostgresDataSourceFactory.Create(connectionString, new DatabaseOptions());
            var rollups = DatabaseMigrator.EmbeddedMigrations.Single(m => m.Name.Contains("market_bars", StringComparison.Ordinal));
            await using var connection = await dataSource.OpenConnectionAsync();
            foreach (var migration in DatabaseMigrator.EmbeddedMigrations.Where(m => m.Version < rollups.Version))
            {
                await connection.ExecuteAsync(migration.Sql);
            }
            // Minutes as a deployment before the rollups stored them: two markets, a gap, a partial last hour.
            List<Candle> minutes = [.. Minutes(170).Where(c => c.Start.Minute is < 20 or > 33), .. Minutes(61, market: "KRW-ETH", basePrice: 4_000_000m)];
            foreach (var c in minutes)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO market_data (market, ts, open, high, low, close, volume, value_krw) VALUES (@Market, @Start, @Open, @High, @Low, @Close, @Volume, @ValueKrw)",
                    new { c.Market, Start = c.Start.UtcDateTime, c.Open, c.High, c.Low, c.Close, c.Volume, c.ValueKrw });
            }

            await connection.ExecuteAsync(rollups.Sql);

            var bars = (await connection.QueryAsync<(string Market, short Resolution, DateTime Ts, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, decimal ValueKrw, short Minutes)>(
                "SELECT market, resolution, ts, open, high, low, close, volume, value_krw, minutes FROM market_bars ORDER BY market, resolution, ts")).ToList();
            var expected = new[] { 5, 15, 60 }
                .SelectMany(resolution => minutes.GroupBy(c => (c.Market, Resolution: resolution,
                    Start: c.Start.AddTicks(-(c.Start.UtcTicks % TimeSpan.FromMinutes(resolution).Ticks)))))
                .Select(g => (g.Key.Market, (short)g.Key.Resolution, g.Key.Start.UtcDateTime, g.First().Open, g.Max(c => c.High), g.Min(c => c.Low),
                              g.Last().Close, g.Sum(c => c.Volume), g.Sum(c => c.ValueKrw), (short)g.Count()))
                .OrderBy(b => b.Market, StringComparer.Ordinal).ThenBy(b => b.Item2).ThenBy(b => b.UtcDateTime)
                .ToList();
            Assert.Equal(expected.Count, bars.Count);
            Assert.Equal(expected, bars);
            // 170 minutes of BTC (less a 14-minute gap) and 61 of ETH: 3 + 2 hourly bars.
            Assert.Equal(5, bars.Count(b => b.Resolution == 60));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }
}
