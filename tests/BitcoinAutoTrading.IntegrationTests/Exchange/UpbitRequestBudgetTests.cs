using System.Diagnostics;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Functions.Health;
using BitcoinAutoTrading.Infrastructure.Exchange.Upbit;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.IntegrationTests.Trading;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Exchange;

/// <summary>
/// Upbit's request budget (issue #12 item 8, SPEC §8.1) over real HTTP to the fake: the client-side limiter against a
/// fake that enforces Upbit's per-second limits on arrivals, and a 418 block shared through PostgreSQL by two instances
/// (two whole app compositions, two service providers, one database).
/// </summary>
public sealed class UpbitRequestBudgetTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IDisposable
{
    private const string Market = "KRW-BTC";
    private readonly UpbitFake _upbit = UpbitFake.Start();

    public void Dispose() => _upbit.Dispose();

    [Fact]
    public async Task QuotationBurst_100ConcurrentCalls_No429AndNeverOverUpbitsTenPerSecond()
    {
        OrderExecutionTestHost.Seed(_upbit);
        _upbit.SetReportedLimit("quotation", 10);
        _upbit.EnforceRateLimits = true;
        // No retries: a 429 would surface as a failed call instead of being hidden by a retry.
        using var host = ExchangeTestHost.Build(_upbit, dataSource: database.DataSource,
            settings: new Dictionary<string, string?> { ["Upbit:MaxRetries"] = "0", ["Upbit:RequestTimeout"] = "00:01:00" });
        var exchange = host.Services.GetRequiredService<UpbitExchange>();

        var stopwatch = Stopwatch.StartNew();
        var calls = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            try
            {
                return (await exchange.GetTickerAsync(Market)).TradePrice > 0;
            }
            catch (ExchangeUnavailableException)
            {
                return false;
            }
        }));
        stopwatch.Stop();

        var busiest = _upbit.MaxArrivalsInAnySecond(UpbitEndpoint.Ticker);
        output.WriteLine($"100 ticker calls in {stopwatch.Elapsed.TotalSeconds:0.0} s; most arrivals in any rolling second: {busiest}; " +
            $"429s: {_upbit.Requests.Count(r => r.StatusCode == 429)}");
        Assert.All(calls, Assert.True);
        Assert.Equal(0, _upbit.Requests.Count(r => r.StatusCode == 429));
        Assert.True(busiest <= 10, $"{busiest} arrivals within one second");
        // 9 a second (10 less the safety margin): the limiter spread the burst rather than letting it through.
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(9), $"100 calls took only {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Teapot_SeenByInstanceA_InstanceBSendsNothingAndItsDetailedHealthShowsTheBlock()
    {
        OrderExecutionTestHost.Seed(_upbit);
        _upbit.ScheduleFaults(UpbitEndpoint.Ticker, UpbitFault.Teapot(300));
        using var instanceA = OrderExecutionTestHost.Build(database, _upbit);
        using var instanceB = OrderExecutionTestHost.Build(database, _upbit);

        var blockedOnA = await Assert.ThrowsAsync<ExchangeUnavailableException>(
            () => instanceA.Services.GetRequiredService<IExchange>().GetTickerAsync(Market));
        var requestsBefore = _upbit.Requests.Count;
        var blockedOnB = await Assert.ThrowsAsync<ExchangeUnavailableException>(
            () => instanceB.Services.GetRequiredService<IExchange>().GetBalancesAsync());
        var health = await instanceB.Services.GetRequiredService<DetailedHealthChecker>().CheckAsync(CancellationToken.None);

        Assert.Equal(418, blockedOnA.StatusCode);
        Assert.Equal(418, blockedOnB.StatusCode);
        // B never called Upbit: neither the balance call nor the health check's ticker reached the fake.
        Assert.Equal(requestsBefore, _upbit.Requests.Count);
        Assert.Equal(0, _upbit.RequestCount(UpbitEndpoint.Accounts));
        Assert.True(health.Upbit.Blocked);
        Assert.NotNull(health.Upbit.BlockedUntil);
        Assert.InRange(health.Upbit.BlockedUntil!.Value, DateTimeOffset.UtcNow.AddSeconds(290), DateTimeOffset.UtcNow.AddSeconds(301));
        Assert.Equal("unhealthy", health.Upbit.Status.ToLowerInvariant());
    }
}
