using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange.Upbit;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace BitcoinAutoTrading.IntegrationTests.Exchange;

public sealed class UpbitExchangeTests : IDisposable
{
    private const string Market = "KRW-BTC";
    private readonly UpbitFake _upbit = UpbitFake.Start();

    public UpbitExchangeTests()
    {
        _upbit.SetTicker(Market, 100_000_000m);
        _upbit.SetBalance("KRW", 1_000_000m);
        _upbit.SetBalance("BTC", 0.01m, avgBuyPrice: 90_000_000m);
    }

    public void Dispose() => _upbit.Dispose();

    [Fact]
    public async Task GetTicker_ConnectionRefused_HealthSnapshotSaysRefused()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var host = ExchangeTestHost.Build(_upbit, settings: new Dictionary<string, string?>
        {
            ["Upbit:BaseUrl"] = $"http://127.0.0.1:{closedPort}",
            ["Upbit:MaxRetries"] = "1",
        });
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        await Assert.ThrowsAnyAsync<Exception>(() => exchange.GetTickerAsync(Market));

        var snapshot = host.Services.GetRequiredService<IExchangeHealth>().GetSnapshot();
        Assert.Equal("the connection was refused", snapshot.LastFailure);
        Assert.NotNull(snapshot.LastFailureAt);
    }

    [Fact]
    public async Task MarketData_FromFake_MapsToDomainOldestFirst()
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _upbit.SetCandles(Market, CandleInterval.Hour4, Enumerable.Range(0, 3).Select(i =>
            new Candle(Market, start.AddHours(4 * i), 100 + i, 110 + i, 90 + i, 105 + i, 1.5m + i, 150m + i)));
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var ticker = await exchange.GetTickerAsync(Market);
        var candles = await exchange.GetCandlesAsync(Market, CandleInterval.Hour4, 3);

        Assert.Equal(100_000_000m, ticker.TradePrice);
        Assert.Equal([start, start.AddHours(4), start.AddHours(8)], candles.Select(c => c.Start));
        Assert.Equal(107m, candles[2].Close);
        Assert.Contains(_upbit.Requests, r => r.PathAndQuery.StartsWith("/v1/candles/minutes/240?market=KRW-BTC&count=3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrivateEndpoints_SignedRequests_AcceptedByFakeThatVerifiesJwtAndQueryHash()
    {
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var balances = await exchange.GetBalancesAsync();
        var chance = await exchange.GetOrderChanceAsync(Market);
        var order = await exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "buy-1", Price: 10_000m));

        Assert.Equal(1_000_000m, balances.Single(b => b.Currency == "KRW").Available);
        Assert.Equal(90_000_000m, balances.Single(b => b.Currency == "BTC").AvgBuyPrice);
        Assert.Equal(0.0005m, chance.BidFee);
        Assert.Equal(5_000m, chance.MinTotalKrw);
        Assert.Equal(ExchangeOrderState.Done, order.State);
        Assert.Equal(0.0001m, order.ExecutedVolume);
        Assert.Equal(10_000m, order.ExecutedFunds);
        Assert.Equal(0, _upbit.AuthFailures);
        Assert.Equal(1, _upbit.OrdersPlaced);
    }

    [Fact]
    public async Task GetBalances_WrongSecret_RejectedWithJwtVerification()
    {
        using var host = ExchangeTestHost.Build(_upbit, settings: new Dictionary<string, string?> { ["Upbit:SecretKey"] = "not-the-secret" });
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var error = await Assert.ThrowsAsync<ExchangeRejectedException>(() => exchange.GetBalancesAsync());

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("jwt_verification", error.ErrorName);
    }

    [Fact]
    public async Task Fake_QueryHashOfDifferentQuery_Returns401InvalidQueryPayload()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_upbit.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/orders/chance?market=KRW-BTC");
        // Signed for another query than the one sent, as a client that hashes the wrong string would.
        var token = UpbitJwt.Create(UpbitFake.AccessKey, UpbitFake.SecretKey, "market=KRW-ETH", Guid.NewGuid());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_query_payload", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fake_ReusedIdentifier_Returns400()
    {
        using var host = ExchangeTestHost.Build(_upbit);
        var client = host.Services.GetRequiredService<UpbitExchangeClient>();
        KeyValuePair<string, string>[] body =
            [new("market", Market), new("side", "bid"), new("price", "10000"), new("ord_type", "price"), new("identifier", "dup-1")];

        await client.PostOrderAsync(body, default);
        var error = await Assert.ThrowsAsync<ExchangeRejectedException>(() => client.PostOrderAsync(body, default));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(1, _upbit.OrdersPlaced);
    }

    [Fact]
    public async Task PlaceOrder_IdentifierAlreadyAtExchange_ReturnsThatOrderWithoutPosting()
    {
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();
        var request = new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "again-1", Price: 10_000m);

        var first = await exchange.PlaceOrderAsync(request);
        var second = await exchange.PlaceOrderAsync(request);

        Assert.Equal(first.Uuid, second.Uuid);
        Assert.Equal(1, _upbit.OrdersPlaced);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
    }

    [Fact]
    public async Task PlaceOrder_InsufficientFunds_RejectedWithoutRetry()
    {
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var error = await Assert.ThrowsAsync<ExchangeRejectedException>(() =>
            exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "too-big", Price: 2_000_000m)));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("insufficient_funds_bid", error.ErrorName);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
        Assert.Equal(0, _upbit.OrdersPlaced);
    }

    [Fact]
    public async Task PlaceOrder_UnderMinimum_FailsBeforeAnyRequest()
    {
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var error = await Assert.ThrowsAsync<OrderValidationException>(() =>
            exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "tiny", Price: 4_999m)));

        Assert.Contains("5000 KRW", error.Message, StringComparison.Ordinal);
        Assert.Empty(_upbit.Requests);
    }

    [Fact]
    public async Task PlaceOrder_MarketSellUnderMinimumAtCurrentPrice_FailsBeforePosting()
    {
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        // 0.00004 BTC × 100,000,000 = 4,000 KRW.
        await Assert.ThrowsAsync<OrderValidationException>(() =>
            exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Sell, OrderType.Market, "tiny-sell", Volume: 0.00004m)));

        Assert.Equal(0, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
    }

    [Fact]
    public async Task PlaceOrder_ServerErrorBeforeAccept_LooksUpThenPostsOnce()
    {
        _upbit.EnforceUniqueIdentifiers = false;
        _upbit.ScheduleFaults(UpbitEndpoint.PlaceOrder, UpbitFault.ServerError);
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var order = await exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "retry-1", Price: 10_000m));

        Assert.Equal(ExchangeOrderState.Done, order.State);
        Assert.Equal(1, _upbit.OrdersPlaced);
        Assert.Equal(2, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
        // Before the first POST and again before the second.
        Assert.Equal(2, _upbit.RequestCount(UpbitEndpoint.GetOrder));
    }

    [Theory]
    [InlineData(UpbitFaultKind.LostResponse)]
    [InlineData(UpbitFaultKind.ServerErrorAfterProcessing)]
    public async Task PlaceOrder_AcceptedButAnswerLost_ReturnsAcceptedOrderWithoutSecondPost(UpbitFaultKind kind)
    {
        _upbit.EnforceUniqueIdentifiers = false;
        _upbit.ScheduleFaults(UpbitEndpoint.PlaceOrder, new UpbitFault(kind));
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var order = await exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "lost-1", Price: 10_000m));

        Assert.Equal(_upbit.Orders.Single().Uuid, order.Uuid);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
    }

    [Fact]
    public async Task PlaceOrder_AcceptedButAnswerTimesOut_ReturnsAcceptedOrderWithoutSecondPost()
    {
        _upbit.EnforceUniqueIdentifiers = false;
        _upbit.ScheduleFaults(UpbitEndpoint.PlaceOrder, UpbitFault.Slow(TimeSpan.FromSeconds(2)));
        using var host = ExchangeTestHost.Build(_upbit, settings: new Dictionary<string, string?> { ["Upbit:RequestTimeout"] = "00:00:00.300" });
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var order = await exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "slow-1", Price: 10_000m));

        Assert.Equal(_upbit.Orders.Single().Uuid, order.Uuid);
        Assert.Equal(1, _upbit.OrdersPlaced);
    }

    [Fact]
    public async Task GetTicker_TwoServerErrors_RetriedAndSucceeds()
    {
        _upbit.ScheduleFaults(UpbitEndpoint.Ticker, UpbitFault.ServerError, UpbitFault.ServerError);
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var ticker = await exchange.GetTickerAsync(Market);

        Assert.Equal(100_000_000m, ticker.TradePrice);
        Assert.Equal(3, _upbit.RequestCount(UpbitEndpoint.Ticker));
    }

    [Fact]
    public async Task GetTicker_ServerErrorsBeyondRetries_UnavailableAfterBoundedAttempts()
    {
        _upbit.ScheduleFaults(UpbitEndpoint.Ticker, Enumerable.Repeat(UpbitFault.ServerError, 10).ToArray());
        using var host = ExchangeTestHost.Build(_upbit, settings: new Dictionary<string, string?> { ["Upbit:MaxRetries"] = "2" });
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var error = await Assert.ThrowsAsync<ExchangeUnavailableException>(() => exchange.GetTickerAsync(Market));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal(3, _upbit.RequestCount(UpbitEndpoint.Ticker));
    }

    [Fact]
    public async Task GetTicker_429WithRetryAfter_WaitsAsToldThenSucceeds()
    {
        _upbit.ScheduleFaults(UpbitEndpoint.Ticker, UpbitFault.TooManyRequests(1));
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var stopwatch = Stopwatch.StartNew();
        await exchange.GetTickerAsync(Market);
        stopwatch.Stop();

        var calls = _upbit.Requests.Where(r => r.Endpoint == UpbitEndpoint.Ticker).ToList();
        Assert.Equal([429, 200], calls.Select(c => c.StatusCode));
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(950), $"second call came {(calls[1].At - calls[0].At).TotalMilliseconds} ms after the 429");
    }

    [Fact]
    public async Task GetTicker_429WithRetryAfterBeyondLimit_FailsFastWithRetryAfter()
    {
        _upbit.ScheduleFaults(UpbitEndpoint.Ticker, UpbitFault.TooManyRequests(60));
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var error = await Assert.ThrowsAsync<ExchangeUnavailableException>(() => exchange.GetTickerAsync(Market));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.Ticker));
    }

    [Fact]
    public async Task PlaceOrder_429_NotPlacedTwiceAndRetriedAfterLookup()
    {
        _upbit.EnforceUniqueIdentifiers = false;
        _upbit.ScheduleFaults(UpbitEndpoint.PlaceOrder, UpbitFault.TooManyRequests(0));
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        await exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "throttled-1", Price: 10_000m));

        Assert.Equal(1, _upbit.OrdersPlaced);
        Assert.Equal(2, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
    }

    [Fact]
    public async Task Teapot_BlocksAllCallsUntilRetryAfterAndHealthReportsIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _upbit.ScheduleFaults(UpbitEndpoint.Ticker, UpbitFault.Teapot(120));
        using var host = ExchangeTestHost.Build(_upbit, configure: s => s.AddSingleton<TimeProvider>(clock));
        var exchange = host.Services.GetRequiredService<UpbitExchange>();
        var health = host.Services.GetRequiredService<IExchangeHealth>();

        var first = await Assert.ThrowsAsync<ExchangeUnavailableException>(() => exchange.GetTickerAsync(Market));
        var whileBlocked = await Assert.ThrowsAsync<ExchangeUnavailableException>(() => exchange.GetBalancesAsync());
        var blocked = health.GetSnapshot();
        clock.Advance(TimeSpan.FromSeconds(121));
        var ticker = await exchange.GetTickerAsync(Market);

        Assert.Equal(418, first.StatusCode);
        Assert.Equal(418, whileBlocked.StatusCode);
        Assert.True(blocked.IsBlocked);
        Assert.Equal(clock.GetUtcNow().AddSeconds(-1), blocked.BlockedUntil);
        Assert.Equal(418, blocked.LastStatusCode);
        // Only the 418 and the call after the block reached Upbit: the balance call was stopped client-side.
        Assert.Equal(0, _upbit.RequestCount(UpbitEndpoint.Accounts));
        Assert.Equal(2, _upbit.RequestCount(UpbitEndpoint.Ticker));
        Assert.Equal(100_000_000m, ticker.TradePrice);
        Assert.False(health.GetSnapshot().IsBlocked);
    }

    [Fact]
    public async Task Responses_RemainingReqHeader_ReportedPerGroupInHealth()
    {
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();
        var health = host.Services.GetRequiredService<IExchangeHealth>();

        await exchange.GetTickerAsync(Market);
        await exchange.GetBalancesAsync();
        var snapshot = health.GetSnapshot();

        Assert.Equal(200, snapshot.LastStatusCode);
        Assert.Equal("default", snapshot.LastRemainingRequests?.Group);
        // Keyed by the group the server names (issue #12 changed the fake to Upbit's real "ticker", not "quotation").
        Assert.InRange(snapshot.RemainingRequestsByGroup["ticker"].PerSecond, 0, 9);
        Assert.Equal(1799, snapshot.RemainingRequestsByGroup["default"].PerMinute);
    }

    [Fact]
    public async Task RemainingReqSecZero_NextRequestInGroup_WaitsOutTheSecond()
    {
        _upbit.SetReportedLimit("quotation", 1);
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        await exchange.GetTickerAsync(Market);
        await exchange.GetBalancesAsync();
        await exchange.GetTickerAsync(Market);

        var requests = _upbit.Requests;
        var tickers = requests.Where(r => r.Endpoint == UpbitEndpoint.Ticker).ToList();
        var balances = requests.Single(r => r.Endpoint == UpbitEndpoint.Accounts);
        // Only the exhausted group waits: the balance call went straight out.
        Assert.True(balances.At - tickers[0].At < TimeSpan.FromMilliseconds(500));
        Assert.True(tickers[1].At - tickers[0].At >= TimeSpan.FromMilliseconds(900), $"gap {(tickers[1].At - tickers[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task QuotationBurst_ClientSideLimiter_SpreadsRequestsToConfiguredRate()
    {
        _upbit.SetReportedLimit("quotation", 1000);
        using var host = ExchangeTestHost.Build(_upbit, settings: new Dictionary<string, string?> { ["Upbit:QuotationRequestsPerSecond"] = "4" });
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => exchange.GetTickerAsync(Market)));
        stopwatch.Stop();

        var times = _upbit.Requests.Select(r => r.At).Order().ToList();
        // Any 0.9 s stretch (0.1 s allowance for network jitter) saw at most the 4 permitted requests.
        var busiest = times.Max(t => times.Count(u => u >= t && u < t + TimeSpan.FromMilliseconds(900)));
        Assert.Equal(12, times.Count);
        Assert.True(busiest <= 4, $"{busiest} requests within 0.9 s");
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1.8), $"12 requests at 4/s took only {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task CancelOrder_OpenThenAlreadyCancelled_ReturnsOrderBothTimes()
    {
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();
        var order = await exchange.PlaceOrderAsync(
            new OrderRequest(Market, OrderSide.Buy, OrderType.Limit, "limit-1", Volume: 0.001m, Price: 90_000_000m));

        await exchange.CancelOrderAsync(order.Uuid);
        var again = await exchange.CancelOrderAsync(order.Uuid);

        Assert.Equal(ExchangeOrderState.Open, order.State);
        Assert.Equal(ExchangeOrderState.Cancelled, again.State);
        Assert.Equal("cancel", _upbit.Orders.Single().State);
    }

    [Fact]
    public async Task GetOrderByUuid_FakeFillsAfterLookups_OpenThenDone()
    {
        _upbit.FillAfterLookups = 2;
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();
        var placed = await exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "poll-1", Price: 10_000m));

        var first = await exchange.GetOrderByUuidAsync(placed.Uuid);
        var second = await exchange.GetOrderByUuidAsync(placed.Uuid);
        var unknown = await exchange.GetOrderByUuidAsync(Guid.NewGuid().ToString());

        Assert.Equal(ExchangeOrderState.Open, placed.State);
        Assert.Equal(ExchangeOrderState.Open, first?.State);
        Assert.Equal(ExchangeOrderState.Done, second?.State);
        Assert.Equal(0.0001m, second?.ExecutedVolume);
        Assert.Null(unknown);
    }

    [Fact]
    public async Task PlaceOrder_LimitPriceOffGrid_SentRoundedToTick()
    {
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var order = await exchange.PlaceOrderAsync(
            new OrderRequest(Market, OrderSide.Buy, OrderType.Limit, "grid-1", Volume: 0.001m, Price: 90_000_777m));

        Assert.Equal(90_000_000m, _upbit.Orders.Single().Price);
        Assert.Equal(90_000_000m, order.Price);
    }

    [Fact]
    public async Task Logs_FullExchangeSession_NeverContainSecretOrJwt()
    {
        var logs = new CapturingLoggerProvider();
        _upbit.ScheduleFaults(UpbitEndpoint.PlaceOrder, UpbitFault.LostResponse);
        using var host = ExchangeTestHost.Build(_upbit, logs: logs);
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        await exchange.GetBalancesAsync();
        await exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "log-1", Price: 10_000m));

        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(UpbitFake.SecretKey, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Bearer ey", StringComparison.Ordinal) || l.Contains("eyJhbGciOiJIUzUxMiIs", StringComparison.Ordinal));
    }
}
