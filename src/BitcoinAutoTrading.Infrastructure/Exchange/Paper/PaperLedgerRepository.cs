using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange.Upbit;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Paper;

/// <summary>
/// The paper exchange's ledger (<c>paper_balances</c>) and order book (<c>paper_orders</c>). Every balance change happens
/// in one short transaction that first locks the balance rows it touches (always in currency order, so two orders never
/// deadlock), which serialises concurrent orders: the second sees the first's debits and cannot overspend.
/// </summary>
internal sealed class PaperLedgerRepository(NpgsqlDataSource dataSource)
{
    private const string QuoteCurrency = "KRW";

    private const string OrderColumns = """
        uuid AS Uuid, identifier AS Identifier, market AS Market, side AS Side, ord_type AS OrdType, price AS Price,
        volume AS Volume, state AS State, executed_volume AS ExecutedVolume, executed_funds AS ExecutedFunds,
        paid_fee AS PaidFee, reserved AS Reserved, created_at AS CreatedAt
        """;

    public async Task<IReadOnlyList<Balance>> GetBalancesAsync(decimal initialKrw, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await EnsureAccountAsync(connection, null, initialKrw, cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<BalanceRow>(new CommandDefinition("""
            SELECT currency AS Currency, balance AS Balance, locked AS Locked, avg_buy_price AS AvgBuyPrice
            FROM paper_balances
            WHERE currency = @quote OR balance > 0 OR locked > 0
            ORDER BY currency
            """, new { quote = QuoteCurrency }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new Balance(r.Currency, r.Balance, r.Locked, r.AvgBuyPrice)).ToList();
    }

    public async Task<ExchangeOrder?> FindByIdentifierAsync(string identifier, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM paper_orders WHERE identifier = @identifier",
            new { identifier }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToDomain();
    }

    public async Task<ExchangeOrder?> FindByUuidAsync(Guid uuid, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM paper_orders WHERE uuid = @uuid",
            new { uuid }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToDomain();
    }

    /// <summary>
    /// Places an already validated order at <paramref name="tradePrice"/>. Returns the existing order instead when the
    /// identifier is already known (also when a concurrent call with the same identifier got there first).
    /// </summary>
    public async Task<ExchangeOrder> PlaceAsync(
        OrderRequest order, decimal tradePrice, decimal feeRate, decimal initialKrw, Guid uuid, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var baseCurrency = BaseCurrency(order.Market);
        // PostgreSQL keeps microseconds: store and return the same instant.
        now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await EnsureAccountAsync(connection, transaction, initialKrw, cancellationToken, baseCurrency).ConfigureAwait(false);
        var balances = await LockBalancesAsync(connection, transaction, [QuoteCurrency, baseCurrency], cancellationToken).ConfigureAwait(false);

        // Checked under the balance lock: a concurrent placement of the same identifier has committed by now.
        var existing = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM paper_orders WHERE identifier = @identifier",
            new { identifier = order.Identifier }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (existing is not null)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return existing.ToDomain();
        }

        var quote = balances[QuoteCurrency];
        var coin = balances[baseCurrency];
        var fill = PaperFill.Compute(order, tradePrice, feeRate, quote.Balance, coin.Balance);

        var coinAvgPrice = coin.AvgBuyPrice;
        if (fill.BaseAvailableDelta > 0)
        {
            // Upbit's average buy price: cost of the coin held, fees excluded.
            var held = coin.Balance + coin.Locked;
            coinAvgPrice = PaperFill.Round8(((held * coin.AvgBuyPrice) + fill.ExecutedFunds) / (held + fill.BaseAvailableDelta));
        }
        else if (coin.Balance + coin.Locked + fill.BaseAvailableDelta + fill.BaseLockedDelta == 0)
        {
            coinAvgPrice = 0m;
        }

        await UpdateBalanceAsync(connection, transaction, QuoteCurrency, fill.QuoteAvailableDelta, fill.QuoteLockedDelta, null, now, cancellationToken).ConfigureAwait(false);
        await UpdateBalanceAsync(connection, transaction, baseCurrency, fill.BaseAvailableDelta, fill.BaseLockedDelta, coinAvgPrice, now, cancellationToken).ConfigureAwait(false);
        var row = new OrderRow
        {
            Uuid = uuid,
            Identifier = order.Identifier,
            Market = order.Market,
            Side = UpbitWireMapping.ToWire(order.Side),
            OrdType = UpbitWireMapping.ToWire(order.Type),
            Price = order.Price,
            Volume = order.Volume,
            State = UpbitWireMapping.ToWire(fill.State),
            ExecutedVolume = fill.ExecutedVolume,
            ExecutedFunds = fill.ExecutedFunds,
            PaidFee = fill.PaidFee,
            Reserved = fill.Reserved,
            CreatedAt = now.UtcDateTime,
        };
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO paper_orders (uuid, identifier, market, side, ord_type, price, volume, state,
                                      executed_volume, executed_funds, paid_fee, reserved, created_at)
            VALUES (@Uuid, @Identifier, @Market, @Side, @OrdType, @Price, @Volume, @State,
                    @ExecutedVolume, @ExecutedFunds, @PaidFee, @Reserved, @CreatedAt)
            """, row, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row.ToDomain();
    }

    /// <summary>Cancels a resting order and releases what it held; a final order is returned unchanged. Null if unknown.</summary>
    public async Task<ExchangeOrder?> CancelAsync(Guid uuid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM paper_orders WHERE uuid = @uuid FOR UPDATE",
            new { uuid }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is null || row.State != "wait")
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return row?.ToDomain();
        }

        var isBuy = row.Side == "bid";
        var currency = isBuy ? QuoteCurrency : BaseCurrency(row.Market);
        await LockBalancesAsync(connection, transaction, [currency], cancellationToken).ConfigureAwait(false);
        await UpdateBalanceAsync(connection, transaction, currency, row.Reserved, -row.Reserved, null, now, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE paper_orders SET state = 'cancel', reserved = 0 WHERE uuid = @uuid",
            new { uuid }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (row with { State = "cancel", Reserved = 0m }).ToDomain();
    }

    private static string BaseCurrency(string market)
    {
        var separator = market.IndexOf('-', StringComparison.Ordinal);
        return separator > 0 && separator < market.Length - 1
            ? market[(separator + 1)..]
            : throw new OrderValidationException($"Market '{market}' is not of the form QUOTE-BASE (e.g. KRW-BTC).");
    }

    /// <summary>Creates the account on first use: KRW at the configured starting amount, and an empty row for the coin.</summary>
    private static async Task EnsureAccountAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, decimal initialKrw, CancellationToken cancellationToken,
        string? baseCurrency = null)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO paper_balances (currency, balance) VALUES (@quote, @initialKrw) ON CONFLICT (currency) DO NOTHING
            """, new { quote = QuoteCurrency, initialKrw }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (baseCurrency is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO paper_balances (currency, balance) VALUES (@baseCurrency, 0) ON CONFLICT (currency) DO NOTHING
                """, new { baseCurrency }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    private static async Task<Dictionary<string, BalanceRow>> LockBalancesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string[] currencies, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<BalanceRow>(new CommandDefinition("""
            SELECT currency AS Currency, balance AS Balance, locked AS Locked, avg_buy_price AS AvgBuyPrice
            FROM paper_balances
            WHERE currency = ANY(@currencies)
            ORDER BY currency
            FOR UPDATE
            """, new { currencies }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Currency, StringComparer.Ordinal);
    }

    private static Task UpdateBalanceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string currency, decimal availableDelta, decimal lockedDelta,
        decimal? avgBuyPrice, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE paper_balances
            SET balance = balance + @availableDelta,
                locked = locked + @lockedDelta,
                avg_buy_price = COALESCE(@avgBuyPrice, avg_buy_price),
                updated_at = @now
            WHERE currency = @currency
            """, new { currency, availableDelta, lockedDelta, avgBuyPrice, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));

    private sealed record BalanceRow
    {
        public string Currency { get; init; } = "";
        public decimal Balance { get; init; }
        public decimal Locked { get; init; }
        public decimal AvgBuyPrice { get; init; }
    }

    private sealed record OrderRow
    {
        public Guid Uuid { get; init; }
        public string Identifier { get; init; } = "";
        public string Market { get; init; } = "";
        public string Side { get; init; } = "";
        public string OrdType { get; init; } = "";
        public decimal? Price { get; init; }
        public decimal? Volume { get; init; }
        public string State { get; init; } = "";
        public decimal ExecutedVolume { get; init; }
        public decimal ExecutedFunds { get; init; }
        public decimal PaidFee { get; init; }
        public decimal Reserved { get; init; }
        /// <summary>timestamptz arrives as a UTC <see cref="DateTime"/>.</summary>
        public DateTime CreatedAt { get; init; }

        public ExchangeOrder ToDomain() => new(
            Uuid.ToString(), Identifier, Market, UpbitWireMapping.ParseSide(Side), UpbitWireMapping.ParseType(OrdType),
            UpbitWireMapping.ParseState(State), Price, Volume, ExecutedVolume, ExecutedFunds, PaidFee,
            new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)));
    }
}
