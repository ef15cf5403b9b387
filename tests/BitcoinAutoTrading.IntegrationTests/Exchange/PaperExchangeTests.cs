using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange.Paper;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.IntegrationTests.Exchange;

public sealed class PaperExchangeTests : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Market = "KRW-BTC";
    private readonly PostgresDatabaseFixture _database;
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private readonly IHost _host;

    public PaperExchangeTests(PostgresDatabaseFixture database)
    {
        _database = database;
        _upbit.SetTicker(Market, 100_000_000m);
        _upbit.SetReportedLimit("quotation", 1000);
        _host = BuildHost(_database.DataSource);
    }

    public Task InitializeAsync() => _database.ResetAsync();

    public Task DisposeAsync()
    {
        _host.Dispose();
        _upbit.Dispose();
        return Task.CompletedTask;
    }

    private PaperExchange Exchange => _host.Services.GetRequiredService<PaperExchange>();

    [Fact]
    public async Task GetBalances_FirstUse_CreatesLedgerWithInitialKrw()
    {
        var balances = await Exchange.GetBalancesAsync();

        var krw = Assert.Single(balances);
        Assert.Equal(("KRW", 1_000_000m, 0m), (krw.Currency, krw.Available, krw.Locked));
    }

    [Fact]
    public async Task PlaceOrder_BuyByKrw_FillsAtTickerWithFeeOnTopExactly()
    {
        var order = await Exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "paper-buy", Price: 100_000m));
        var balances = await Exchange.GetBalancesAsync();

        Assert.Equal(ExchangeOrderState.Done, order.State);
        Assert.Equal(0.001m, order.ExecutedVolume);
        Assert.Equal(100_000m, order.ExecutedFunds);
        Assert.Equal(50m, order.PaidFee);
        Assert.Equal(100_000_000m, order.AveragePrice);
        Assert.Equal(899_950m, balances.Single(b => b.Currency == "KRW").Available);
        var btc = balances.Single(b => b.Currency == "BTC");
        Assert.Equal(0.001m, btc.Available);
        Assert.Equal(100_000_000m, btc.AvgBuyPrice);
        // No market-data call was spent on anything but the price: the paper exchange needs no keys.
        Assert.Equal(0, _upbit.AuthFailures);
        Assert.All(_upbit.Requests, r => Assert.Equal(UpbitEndpoint.Ticker, r.Endpoint));
    }

    [Fact]
    public async Task PlaceOrder_SellAfterPriceRise_CreditsProceedsMinusFee()
    {
        await Exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "paper-buy-2", Price: 100_000m));
        _upbit.SetTicker(Market, 120_000_000m);

        var sell = await Exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Sell, OrderType.Market, "paper-sell-2", Volume: 0.0005m));
        var balances = await Exchange.GetBalancesAsync();

        Assert.Equal(60_000m, sell.ExecutedFunds);
        Assert.Equal(30m, sell.PaidFee);
        Assert.Equal(899_950m + 59_970m, balances.Single(b => b.Currency == "KRW").Available);
        Assert.Equal(0.0005m, balances.Single(b => b.Currency == "BTC").Available);
    }

    [Fact]
    public async Task PlaceOrder_SameIdentifierTwice_OneOrderAndOneDebit()
    {
        var request = new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "paper-twice", Price: 100_000m);

        var first = await Exchange.PlaceOrderAsync(request);
        var second = await Exchange.PlaceOrderAsync(request);

        Assert.Equal(first.Uuid, second.Uuid);
        Assert.Equal(899_950m, (await Exchange.GetBalancesAsync()).Single(b => b.Currency == "KRW").Available);
        Assert.Equal(1L, await CountOrdersAsync());
    }

    [Fact]
    public async Task PlaceOrder_InsufficientKrw_RejectedAndLedgerUnchanged()
    {
        var error = await Assert.ThrowsAsync<ExchangeRejectedException>(() =>
            Exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "paper-broke", Price: 999_999m)));

        Assert.Equal((400, "insufficient_funds_bid"), (error.StatusCode, error.ErrorName));
        Assert.Equal(1_000_000m, (await Exchange.GetBalancesAsync()).Single(b => b.Currency == "KRW").Available);
        Assert.Equal(0L, await CountOrdersAsync());
    }

    [Fact]
    public async Task PlaceOrder_SellWithoutCoin_RejectedInsufficientFundsAsk()
    {
        var error = await Assert.ThrowsAsync<ExchangeRejectedException>(() =>
            Exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Sell, OrderType.Market, "paper-naked", Volume: 0.001m)));

        Assert.Equal("insufficient_funds_ask", error.ErrorName);
    }

    [Fact]
    public async Task PlaceOrder_UnderMinimum_RejectedByValidation()
    {
        await Assert.ThrowsAsync<OrderValidationException>(() =>
            Exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "paper-small", Price: 4_000m)));

        Assert.Equal(0L, await CountOrdersAsync());
    }

    [Fact]
    public async Task NewInstanceOverSameDatabase_SeesSameBalancesAndOrders()
    {
        var placed = await Exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "paper-restart", Price: 200_000m));
        var before = await Exchange.GetBalancesAsync();

        // A restarted app: its own data source, its own services, the same database.
        await using var dataSource = PostgresDataSourceFactory.Create(_database.ConnectionString, new DatabaseOptions { MinPoolSize = 0 });
        using var restarted = BuildHost(dataSource);
        var exchange = restarted.Services.GetRequiredService<PaperExchange>();
        var after = await exchange.GetBalancesAsync();
        var byIdentifier = await exchange.GetOrderByIdentifierAsync("paper-restart");
        var byUuid = await exchange.GetOrderByUuidAsync(placed.Uuid);
        var again = await exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "paper-restart", Price: 200_000m));

        Assert.Equal(before, after);
        Assert.Equal(placed, byIdentifier);
        Assert.Equal(placed, byUuid);
        Assert.Equal(placed.Uuid, again.Uuid);
        Assert.Equal(1L, await CountOrdersAsync());
    }

    [Fact]
    public async Task ConcurrentBuys_MoreThanTheBalanceCovers_NeverOverspend()
    {
        // Each buy needs 150,000 + 75 fee; 1,000,000 KRW covers six of them.
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await Exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, $"paper-race-{i}", Price: 150_000m));
                return "filled";
            }
            catch (ExchangeRejectedException ex)
            {
                return ex.ErrorName;
            }
        })));
        var krw = (await Exchange.GetBalancesAsync()).Single(b => b.Currency == "KRW");

        Assert.Equal(6, results.Count(r => r == "filled"));
        Assert.Equal(4, results.Count(r => r == "insufficient_funds_bid"));
        Assert.Equal(1_000_000m - (6 * 150_075m), krw.Available);
        Assert.Equal(6L, await CountOrdersAsync());
    }

    [Fact]
    public async Task ConcurrentPlacements_SameIdentifier_OneOrder()
    {
        var request = new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "paper-same", Price: 100_000m);

        var orders = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => Exchange.PlaceOrderAsync(request))));

        Assert.Single(orders.Select(o => o.Uuid).Distinct());
        Assert.Equal(899_950m, (await Exchange.GetBalancesAsync()).Single(b => b.Currency == "KRW").Available);
    }

    [Fact]
    public async Task LimitBuyBelowMarket_WaitsWithFundsLocked_CancelReleasesThem()
    {
        var order = await Exchange.PlaceOrderAsync(
            new OrderRequest(Market, OrderSide.Buy, OrderType.Limit, "paper-limit", Volume: 0.002m, Price: 90_000_500m));
        var whileOpen = (await Exchange.GetBalancesAsync()).Single(b => b.Currency == "KRW");
        var cancelled = await Exchange.CancelOrderAsync(order.Uuid);
        var afterCancel = (await Exchange.GetBalancesAsync()).Single(b => b.Currency == "KRW");
        var cancelledAgain = await Exchange.CancelOrderAsync(order.Uuid);

        Assert.Equal(ExchangeOrderState.Open, order.State);
        Assert.Equal(90_000_000m, order.Price);
        // 0.002 × 90,000,000 = 180,000 plus 90 fee held back.
        Assert.Equal((819_910m, 180_090m), (whileOpen.Available, whileOpen.Locked));
        Assert.Equal(ExchangeOrderState.Cancelled, cancelled.State);
        Assert.Equal((1_000_000m, 0m), (afterCancel.Available, afterCancel.Locked));
        Assert.Equal(ExchangeOrderState.Cancelled, cancelledAgain.State);
    }

    [Fact]
    public async Task CancelOrder_UnknownUuid_RejectedNotFound()
    {
        var error = await Assert.ThrowsAsync<ExchangeRejectedException>(() => Exchange.CancelOrderAsync(Guid.NewGuid().ToString()));

        Assert.Equal((404, "order_not_found"), (error.StatusCode, error.ErrorName));
    }

    private IHost BuildHost(Npgsql.NpgsqlDataSource dataSource) =>
        ExchangeTestHost.Build(_upbit, mode: "Paper", dataSource: dataSource, settings: new Dictionary<string, string?>
        {
            ["Upbit:AccessKey"] = null,
            ["Upbit:SecretKey"] = null,
            ["Upbit:QuotationRequestsPerSecond"] = "1000",
        });

    private async Task<long> CountOrdersAsync()
    {
        await using var command = _database.DataSource.CreateCommand("SELECT count(*) FROM paper_orders");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
