using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>
/// TX3 (SPEC §6) in one READ COMMITTED transaction with row locks taken in a fixed order — the order, then the
/// position, then the day — so two appliers of the same order serialize on the order row and the second one sees
/// <c>position_applied_at</c> already set. Only database calls happen inside; no exchange call waits on a lock.
/// </summary>
internal sealed class TradeLedger(
    NpgsqlDataSource dataSource,
    PostgresTransactionRunner transactions,
    OrderRepository orders,
    PositionRepository positions,
    DailyStatsRepository dailyStats) : ITradeLedger
{
    public Task<AppliedFill?> ApplyFillAsync(
        long orderId, DateTimeOffset at, decimal startingEquityKrw, CancellationToken cancellationToken = default) =>
        transactions.RunAsync<AppliedFill?>(async (transaction, ct) =>
        {
            var order = await orders.GetByIdAsync(orderId, transaction, forUpdate: true, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Order {orderId} does not exist.");
            if (order.PositionAppliedAt is not null || order.ExecutedVolume <= 0)
            {
                return null;
            }
            if (!order.Status.IsTerminal())
            {
                throw new InvalidOperationException($"Order {orderId} has no final result yet; its fill cannot be applied.");
            }

            var connection = transaction.Connection!;
            // FOR UPDATE cannot lock a row that does not exist yet: create the market's row first, then lock it.
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO positions (market, updated_at) VALUES (@market, @at) ON CONFLICT (market) DO NOTHING",
                new { market = order.Market, at = DbValues.Utc(at) }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var current = await positions.GetAsync(order.Market, transaction, forUpdate: true, ct).ConfigureAwait(false);

            var effect = FillAccounting.Apply(current, order, at);
            var position = await positions.UpsertAsync(effect.Position, transaction, ct).ConfigureAwait(false);

            var day = KstClock.TradingDay(at);
            await dailyStats.EnsureDayAsync(day, startingEquityKrw, transaction, ct).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE daily_stats
                SET realized_pnl_krw = realized_pnl_krw + @pnl,
                    trade_count = trade_count + 1,
                    win_count = win_count + @win,
                    loss_count = loss_count + @loss,
                    updated_at = @at
                WHERE trade_date = @day
                """,
                new
                {
                    pnl = effect.RealizedPnlKrw,
                    win = effect.ClosesTrade && effect.RealizedPnlKrw > 0 ? 1 : 0,
                    loss = effect.ClosesTrade && effect.RealizedPnlKrw < 0 ? 1 : 0,
                    at = DbValues.Utc(at),
                    day,
                },
                transaction, cancellationToken: ct)).ConfigureAwait(false);

            if (!await orders.MarkPositionAppliedAsync(orderId, at, transaction, ct).ConfigureAwait(false))
            {
                // Unreachable while the order row is locked; rolling back keeps the position untouched if it ever happens.
                throw new InvalidOperationException($"Order {orderId} was applied concurrently.");
            }
            return new AppliedFill(orderId, position, effect.RealizedPnlKrw, day);
        }, cancellationToken);

    public async Task<IReadOnlyList<long>> ListUnappliedFillsAsync(
        DateTimeOffset finishedBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM orders
            WHERE position_applied_at IS NULL AND executed_volume > 0
              AND status IN ('EXECUTED', 'PARTIALLY_EXECUTED', 'CANCELLED') AND finished_at < @finishedBefore
            ORDER BY finished_at, id
            """,
            new { finishedBefore = DbValues.Utc(finishedBefore) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ids.ToList();
    }
}
