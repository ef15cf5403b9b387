using System.Diagnostics;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Moq;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>GET /api/health/detailed over real PostgreSQL with a mocked exchange.</summary>
public sealed class DetailedHealthTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static async Task SeedHealthyAsync(ApiTestHost host)
    {
        await ApiTestData.SeedJobRunAsync(host, "CollectMarketData", JobOutcome.Succeeded, ApiTestHost.Now.AddMinutes(-1));
        await ApiTestData.SeedJobRunAsync(host, "GenerateSignal", JobOutcome.Succeeded, ApiTestHost.Now.AddMinutes(-20));
        await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddMinutes(-20));
        await ApiTestData.SeedExecutedBuyAsync(host, "h-1", ApiTestHost.Now.AddMinutes(-19));
    }

    [Fact]
    public async Task Detailed_AllComponentsFine_Returns200Healthy()
    {
        await using var host = await ApiTestHost.CreateAsync(database, geminiKey: "test-key");
        await SeedHealthyAsync(host);

        var response = await ApiRoutes.CallAsync(host, "HealthDetailed");

        Assert.Equal(200, response.Status);
        Assert.Equal("healthy", response.Body.GetProperty("status").GetString());
        Assert.Equal("healthy", response.Body.GetProperty("database").GetProperty("status").GetString());
        Assert.True(response.Body.GetProperty("database").GetProperty("latencyMs").GetDouble() >= 0);
        Assert.Equal(100_000_000m, response.Body.GetProperty("upbit").GetProperty("price").GetDecimal());
        Assert.Equal("gemini", response.Body.GetProperty("ai").GetProperty("provider").GetString());
        Assert.Equal(2, response.Body.GetProperty("scheduler").GetProperty("jobs").GetArrayLength());
        Assert.Equal(20.0, response.Body.GetProperty("lastSignal").GetProperty("ageMinutes").GetDouble());
        Assert.Equal("EXECUTED", response.Body.GetProperty("lastOrder").GetProperty("orderStatus").GetString());
        Assert.DoesNotContain("test-key", response.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detailed_Upbit418Block_Returns503Unhealthy()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await SeedHealthyAsync(host);
        host.Snapshot = host.Snapshot with { IsBlocked = true, BlockedUntil = ApiTestHost.Now.AddMinutes(5), LastStatusCode = 418 };

        var response = await ApiRoutes.CallAsync(host, "HealthDetailed");

        Assert.Equal(503, response.Status);
        Assert.Equal("unhealthy", response.Body.GetProperty("status").GetString());
        Assert.True(response.Body.GetProperty("upbit").GetProperty("blocked").GetBoolean());
        host.Exchange.Verify(e => e.GetTickerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Detailed_ExchangeHangs_AnswersWithinTheProbeTimeoutAndReportsIt()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await SeedHealthyAsync(host);
        host.HealthOptions.ProbeTimeout = TimeSpan.FromMilliseconds(500);
        var never = new TaskCompletionSource<Ticker>();
        host.Exchange.Setup(e => e.GetTickerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(never.Task);

        var stopwatch = Stopwatch.StartNew();
        var response = await ApiRoutes.CallAsync(host, "HealthDetailed");
        stopwatch.Stop();

        // The ticker never answers: without the per-probe timeout this call would never return.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Equal(503, response.Status);
        Assert.Contains("No answer", response.Body.GetProperty("upbit").GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The slow exchange did not hide the other components.
        Assert.Equal("healthy", response.Body.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", response.Body.GetProperty("scheduler").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Detailed_ExchangeRefusesTheConnection_SaysRefusedNotNoAnswer()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await SeedHealthyAsync(host);
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)",
            new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        host.Exchange.Setup(e => e.GetTickerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeUnavailableException("Upbit could not be reached.", refused));

        var response = await ApiRoutes.CallAsync(host, "HealthDetailed");

        var detail = response.Body.GetProperty("upbit").GetProperty("detail").GetString();
        Assert.Equal(503, response.Status);
        Assert.Equal("The check failed: the connection was refused.", detail);
        Assert.DoesNotContain("127.0.0.1", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detailed_RetriesOutlastTheProbeAfterARefusal_SaysTheConnectionWasRefused()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await SeedHealthyAsync(host);
        host.HealthOptions.ProbeTimeout = TimeSpan.FromMilliseconds(300);
        // The client is still retrying when the probe gives up; its last attempt was refused (as UpbitRateLimitHandler records it).
        host.Snapshot = host.Snapshot with { LastFailure = "the connection was refused", LastFailureAt = ApiTestHost.Now, LastResponseAt = ApiTestHost.Now.AddMinutes(-3) };
        var never = new TaskCompletionSource<Ticker>();
        host.Exchange.Setup(e => e.GetTickerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(never.Task);

        var response = await ApiRoutes.CallAsync(host, "HealthDetailed");

        Assert.Equal("Upbit could not be reached: the connection was refused. No answer within 0.3 s.",
            response.Body.GetProperty("upbit").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Detailed_StaleSignalAndFailedJob_Returns200Degraded()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await ApiTestData.SeedJobRunAsync(host, "CollectMarketData", JobOutcome.Failed, ApiTestHost.Now.AddMinutes(-1));
        await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddMinutes(-61));

        var response = await ApiRoutes.CallAsync(host, "HealthDetailed");

        Assert.Equal(200, response.Status);
        Assert.Equal("degraded", response.Body.GetProperty("status").GetString());
        Assert.Equal("degraded", response.Body.GetProperty("scheduler").GetProperty("status").GetString());
        Assert.Contains("CollectMarketData", response.Body.GetProperty("scheduler").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("degraded", response.Body.GetProperty("lastSignal").GetProperty("status").GetString());
        Assert.Equal("technical", response.Body.GetProperty("ai").GetProperty("provider").GetString());
        Assert.Equal("healthy", response.Body.GetProperty("lastOrder").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Detailed_ExchangeUnavailable_IsUnhealthyWithoutTheExceptionText()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await SeedHealthyAsync(host);
        host.Exchange.Setup(e => e.GetTickerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeUnavailableException("upstream said token=abc"));

        var response = await ApiRoutes.CallAsync(host, "HealthDetailed");

        Assert.Equal(503, response.Status);
        Assert.Equal("unhealthy", response.Body.GetProperty("upbit").GetProperty("status").GetString());
        Assert.DoesNotContain("token=abc", response.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detailed_StuckOrder_IsDegraded()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await SeedHealthyAsync(host);
        await ApiTestData.SeedPendingSellAsync(host, "stuck", ApiTestHost.Now.AddMinutes(-15));

        var response = await ApiRoutes.CallAsync(host, "HealthDetailed");

        Assert.Equal("degraded", response.Body.GetProperty("lastOrder").GetProperty("status").GetString());
        Assert.Equal("PENDING", response.Body.GetProperty("lastOrder").GetProperty("orderStatus").GetString());
    }

    [Fact]
    public async Task Detailed_DatabaseDown_Returns503WithDatabaseUnhealthyAndTheRestDegraded()
    {
        await using var unreachable = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");
        await using var host = await ApiTestHost.CreateAsync(database, dataSource: unreachable);

        var response = await ApiRoutes.CallAsync(host, "HealthDetailed");

        Assert.Equal(503, response.Status);
        Assert.Equal("unhealthy", response.Body.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("degraded", response.Body.GetProperty("scheduler").GetProperty("status").GetString());
        Assert.Equal("healthy", response.Body.GetProperty("upbit").GetProperty("status").GetString());
        Assert.DoesNotContain("Port=1", response.Body.GetRawText(), StringComparison.Ordinal);
    }
}
