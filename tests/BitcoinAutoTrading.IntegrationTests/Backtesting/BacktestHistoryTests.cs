using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Backtesting;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.UnitTests.Backtesting;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Backtesting;

/// <summary>
/// The past before a backtest's loaded minutes, read from PostgreSQL: the hourly bars the app keeps for 5 years
/// (MarketData__HourlyBarRetentionDays) give the 1h–1w candles their 200-candle depth even where the minutes were purged.
/// </summary>
public sealed class BacktestHistoryTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetHourlyBarsAsync_StoredMinutes_ReturnsTheirHourlyAggregatesInOrder()
    {
        await database.ResetAsync();
        var minutes = GeneratedMarket.Minutes(Start, 3 * 1440, seed: 3);
        await BacktestTestData.InsertMinutesAsync(database.DataSource, minutes);

        var stored = await new BacktestDataReader(database.DataSource).GetHourlyBarsAsync(GeneratedMarket.Market, Start.AddHours(5), Start.AddHours(29));
        var expected = minutes
            .Where(m => m.Ts >= Start.AddHours(5) && m.Ts < Start.AddHours(29))
            .GroupBy(m => new DateTimeOffset(m.Ts.UtcTicks - (m.Ts.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero))
            .Select(h => new Candle(GeneratedMarket.Market, h.Key, h.First().Open, h.Max(m => m.High), h.Min(m => m.Low), h.Last().Close,
                h.Sum(m => m.Volume), h.Sum(m => m.ValueKrw)))
            .ToList();

        Assert.Equal(24, stored.Count);
        Assert.Equal(expected, stored);
    }

    [Fact]
    public async Task PrepareAsync_MinutesPurgedBeforeTheWarmUp_DailyCandlesStillReach200FromTheHourlyBars()
    {
        // 215 days stored, then the minutes older than the last 20 days deleted as PurgeMarketData does (hourly bars kept).
        await database.ResetAsync();
        var minutes = GeneratedMarket.Minutes(Start, 215 * 1440, seed: 11);
        await BacktestTestData.InsertMinutesAsync(database.DataSource, minutes);
        var from = Start.AddDays(212);
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var purge = new NpgsqlCommand("DELETE FROM market_data WHERE ts < $1", connection))
        {
            purge.Parameters.Add(new NpgsqlParameter { Value = from.AddDays(-20).UtcDateTime });
            await purge.ExecuteNonQueryAsync();
        }

        var prepared = await new BacktestRunner(new BacktestDataReader(database.DataSource)).PrepareAsync(
            new BacktestRequest { Market = GeneratedMarket.Market, From = from, To = from.AddHours(2) });
        var allHistory = await TechnicalSignalReplay.BuildAsync(new MinuteSeries(GeneratedMarket.Market, minutes), from, from.AddHours(2), TimeSpan.FromMinutes(30));

        var first = prepared.Signals.First(s => s.At >= from);
        Assert.Equal(200, first.Analysis!.Timeframes.Single(t => t.Timeframe == CandleInterval.Day).CandleCount);
        Assert.Equal(allHistory.Select(s => s.ProviderScore), prepared.Signals.Where(s => s.At >= from).Select(s => s.ProviderScore));
    }
}
