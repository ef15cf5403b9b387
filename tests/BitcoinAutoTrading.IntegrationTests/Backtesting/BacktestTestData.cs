using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace BitcoinAutoTrading.IntegrationTests.Backtesting;

/// <summary>Writes generated minutes into market_data with binary COPY (a year is 525,600 rows).</summary>
internal static class BacktestTestData
{
    public static async Task InsertMinutesAsync(NpgsqlDataSource dataSource, IEnumerable<MarketMinute> minutes)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY market_data (market, ts, open, high, low, close, volume, value_krw) FROM STDIN (FORMAT BINARY)");
        var ranges = new Dictionary<string, (DateTimeOffset From, DateTimeOffset To)>(StringComparer.Ordinal);
        foreach (var m in minutes)
        {
            ranges[m.Market] = ranges.TryGetValue(m.Market, out var r)
                ? (m.Ts < r.From ? m.Ts : r.From, m.Ts > r.To ? m.Ts : r.To)
                : (m.Ts, m.Ts);
            await writer.StartRowAsync();
            await writer.WriteAsync(m.Market, NpgsqlDbType.Text);
            await writer.WriteAsync(m.Ts.UtcDateTime, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(m.Open, NpgsqlDbType.Numeric);
            await writer.WriteAsync(m.High, NpgsqlDbType.Numeric);
            await writer.WriteAsync(m.Low, NpgsqlDbType.Numeric);
            await writer.WriteAsync(m.Close, NpgsqlDbType.Numeric);
            await writer.WriteAsync(m.Volume, NpgsqlDbType.Numeric);
            await writer.WriteAsync(m.ValueKrw, NpgsqlDbType.Numeric);
        }
        await writer.CompleteAsync();
        await writer.DisposeAsync();
        // COPY bypasses the collector's upsert, so the rollups the readers use are built as an import would build them.
        var repository = new MarketDataRepository(dataSource);
        foreach (var (market, (from, to)) in ranges)
        {
            await repository.RebuildBarsAsync(market, from, to);
        }
    }
}
