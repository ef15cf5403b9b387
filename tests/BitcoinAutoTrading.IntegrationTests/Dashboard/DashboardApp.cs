using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.IntegrationTests.Browser;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.IntegrationTests.Http;
using BitcoinAutoTrading.IntegrationTests.Persistence;
using Microsoft.Extensions.DependencyInjection;
using PuppeteerSharp;

namespace BitcoinAutoTrading.IntegrationTests.Dashboard;

/// <summary>
/// One test class's world for the dashboard: a migrated PostgreSQL database, the Upbit fake for public prices, the app
/// served over real HTTP by <see cref="LocalFunctionsHost"/> (the stand-in for the Functions host), and one headless
/// Chromium (Debian's /usr/bin/chromium) shared by the class's tests.
/// </summary>
public sealed class DashboardApp : IAsyncLifetime
{
    public const string Market = PersistenceTestData.Market;

    private readonly LocalHostFixture _server = new();

    internal LocalFunctionsHost Host => _server.Host;

    private PostgresDatabaseFixture Database => _server.Database;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The seeded rows' reference time (the newest candle is the minute before it).</summary>
    public DateTimeOffset Now { get; private set; }

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        Browser = await HeadlessChromium.LaunchAsync();
    }

    public Uri DashboardUrl => new(Host.BaseAddress, "api/dashboard");

    /// <summary>Empties the database and seeds one of everything each panel shows, relative to the current minute.</summary>
    public async Task SeedAsync()
    {
        await Database.ResetAsync();
        var services = Host.Services;
        // The app caches the settings for an hour; the reset emptied system_config behind its back.
        await services.GetRequiredService<IRiskSettingsProvider>().InvalidateAsync();
        var now = DateTimeOffset.UtcNow;
        Now = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);

        await services.GetRequiredService<IMarketDataRepository>().UpsertMinutesAsync(
            PersistenceTestData.Minutes(300, Now.AddMinutes(-300)));

        var signals = services.GetRequiredService<ISignalRepository>();
        var buy = await signals.InsertAsync(PersistenceTestData.Signal(Now.AddMinutes(-240)));
        await signals.SetEvaluationAsync(buy, EvaluationHorizon.FourHours, 95_500_000m, 0.39m, true, Now.AddMinutes(-1));
        await signals.InsertAsync(PersistenceTestData.Signal(Now.AddMinutes(-60), SignalType.Sell));
        await signals.InsertAsync(PersistenceTestData.Signal(Now.AddMinutes(-30), SignalType.Hold));

        var orders = services.GetRequiredService<IOrderRepository>();
        var created = await orders.CreateAsync(PersistenceTestData.MarketBuy("dash-1", Now.AddMinutes(-239)));
        await orders.MarkSubmittedAsync(created.Order.Id, "uuid-dash-1", Now.AddMinutes(-239).AddSeconds(1));
        await orders.RecordResultAsync(created.Order.Id, OrderStatus.Executed, 0.0015m, 150_000m, 100_000_000m, 75m, null, Now.AddMinutes(-238));
        await orders.CreateAsync(PersistenceTestData.MarketSell("dash-2", Now.AddMinutes(-5), 0.001m));

        // Peak 4 % above entry: the trailing stop (armed at 3 %) is drawn too.
        await services.GetRequiredService<IPositionRepository>().UpsertAsync(new Position(
            Market, 0.0015m, 100_000_000m, 12_345m, 104_000_000m, Now.AddMinutes(-238), Now.AddMinutes(-238)));

        var todayKst = DateOnly.FromDateTime(Now.UtcDateTime.AddHours(9));
        var daily = services.GetRequiredService<IDailyStatsRepository>();
        await daily.EnsureDayAsync(todayKst.AddDays(-1), 990_000m);
        await daily.EnsureDayAsync(todayKst, 1_000_000m);
        await using (var command = Database.DataSource.CreateCommand(
            "UPDATE daily_stats SET realized_pnl_krw = -4321, trade_count = 1, loss_count = 1 WHERE trade_date = $1"))
        {
            command.Parameters.AddWithValue(todayKst);
            await command.ExecuteNonQueryAsync();
        }

        await services.GetRequiredService<IRiskEventRepository>().InsertAsync(new NewRiskEvent
        {
            Type = RiskEventType.LowConfidence,
            ActionTaken = "entry refused",
            TriggerValue = 0.55m,
            ThresholdValue = 0.6m,
            CreatedAt = Now.AddMinutes(-45),
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
            Browser.Dispose();
        }
        await _server.DisposeAsync();
    }
}
