using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Signals;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Backtesting;

/// <summary>
/// Streams a range of minutes with a plain reader (no per-row mapping library): a year is 525,600 rows and loading
/// them is part of the backtest's time budget.
/// </summary>
public sealed class BacktestDataReader(NpgsqlDataSource dataSource) : IBacktestData
{
    public async Task<IReadOnlyList<MarketMinute>> GetMinutesAsync(
        string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, ts, open, high, low, close, volume, value_krw
            FROM market_data
            WHERE market = $1 AND ts >= $2 AND ts < $3
            ORDER BY ts
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = market });
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime() });
        var minutes = new List<MarketMinute>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            minutes.Add(new MarketMinute(
                reader.GetInt64(0), market, reader.GetFieldValue<DateTimeOffset>(1), reader.GetDecimal(2), reader.GetDecimal(3),
                reader.GetDecimal(4), reader.GetDecimal(5), reader.GetDecimal(6), reader.GetDecimal(7)));
        }
        return minutes;
    }

    public async Task<IReadOnlyList<Candle>> GetHourlyBarsAsync(
        string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT ts, open, high, low, close, volume, value_krw
            FROM market_bars
            WHERE market = $1 AND resolution = 60 AND ts >= $2 AND ts < $3
            ORDER BY ts
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = market });
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime() });
        var bars = new List<Candle>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            bars.Add(new Candle(
                market, reader.GetFieldValue<DateTimeOffset>(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetDecimal(3),
                reader.GetDecimal(4), reader.GetDecimal(5), reader.GetDecimal(6)));
        }
        return bars;
    }

    public async Task<IReadOnlySet<DateTimeOffset>> GetStoredMinuteStartsAsync(
        string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT ts FROM market_data WHERE market = $1 AND ts >= $2 AND ts < $3");
        command.Parameters.Add(new NpgsqlParameter { Value = market });
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime() });
        var starts = new HashSet<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            starts.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }
        return starts;
    }

    public async Task<IReadOnlyList<StoredSignal>> GetSignalsAsync(
        string market, DateTimeOffset from, DateTimeOffset to, bool includeShadow, CancellationToken cancellationToken = default)
    {
        // Shadow signals never traded: they are left out unless asked for (--shadow).
        var shadowFilter = includeShadow ? "" : "AND NOT is_shadow";
        await using var command = dataSource.CreateCommand($"""
            SELECT id, created_at, signal_type, action_score, confidence, is_fallback, CASE WHEN is_shadow THEN shadow_of_id END
            FROM trading_signals
            WHERE market = $1 AND created_at >= $2 AND created_at < $3 {shadowFilter}
            ORDER BY created_at, id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = market });
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime() });
        var signals = new List<StoredSignal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var type = reader.GetString(2) switch
            {
                "BUY" => SignalType.Buy,
                "SELL" => SignalType.Sell,
                _ => SignalType.Hold,
            };
            signals.Add(new StoredSignal(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), type, reader.GetDecimal(3), reader.GetDecimal(4), reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6)));
        }
        return signals;
    }
}
