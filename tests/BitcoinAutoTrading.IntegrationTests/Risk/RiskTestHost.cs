using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Jobs;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.Infrastructure.Risk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Risk;

/// <summary>
/// Core's risk services as AddRisk registers them, over the real Dapper repositories of one test database and the
/// real settings provider; only the exchange, the order starter and Slack are mocks (they are not what these tests are about).
/// </summary>
internal sealed class RiskTestHost : IAsyncDisposable
{
    public const string Market = "KRW-BTC";

    private readonly ServiceProvider _services;

    public RiskTestHost(NpgsqlDataSource dataSource, DateTimeOffset now)
    {
        Clock = new FakeTimeProvider(now);
        Starter.Setup(s => s.StartAsync(It.IsAny<OrderInstruction>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrderInstruction i, CancellationToken _) =>
            {
                Started.Add(i);
                return new OrderStartResult(OrderStartStatus.Started, $"order-{i.Market}");
            });
        Notifier.Setup(n => n.NotifyAsync(It.IsAny<string>(), It.IsAny<NotificationSeverity>(), It.IsAny<CancellationToken>()))
            .Callback((string m, NotificationSeverity _, CancellationToken _) => Notifications.Add(m))
            .Returns(Task.CompletedTask);
        SetHoldings(price: 100_000_000m, krwAvailable: 1_000_000m);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(dataSource);
        services.AddSingleton<ISystemConfigRepository, SystemConfigRepository>();
        services.AddSingleton<IDailyStatsRepository, DailyStatsRepository>();
        services.AddSingleton<IRiskEventRepository, RiskEventRepository>();
        services.AddSingleton<IPositionRepository, PositionRepository>();
        services.AddSingleton<IOrderRepository, OrderRepository>();
        services.AddSingleton<IMarketDataRepository, MarketDataRepository>();
        // The entry checks' hit-rate gate reads the stored signals.
        services.AddSingleton<BitcoinAutoTrading.Core.Signals.ISignalRepository, SignalRepository>();
        services.AddSingleton<IJobRunRepository, JobRunRepository>();
        services.AddSingleton<IJobRunner>(sp => new JobRunner(
            sp.GetRequiredService<IJobRunRepository>(), Notifier.Object, Clock, Options.Create(new JobRetryOptions()),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<JobRunner>>()));
        services.AddSingleton(Exchange.Object);
        services.AddSingleton(Starter.Object);
        services.AddSingleton(Notifier.Object);
        // The settings provider as Infrastructure registers it.
        services.AddSingleton<IRiskSettingsProvider, RiskSettingsSnapshotProvider>();
        services.AddRisk();
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; }
    public Mock<IExchange> Exchange { get; } = new();
    public Mock<IOrderStarter> Starter { get; } = new();
    public Mock<INotifier> Notifier { get; } = new();
    public List<OrderInstruction> Started { get; } = [];
    public List<string> Notifications { get; } = [];

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public void SetHoldings(decimal price, decimal krwAvailable, decimal btcAvailable = 0m)
    {
        Exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new Ticker(Market, price, Clock.GetUtcNow()));
        Exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new Balance("KRW", krwAvailable, 0m, 0m),
            new Balance("BTC", btcAvailable, 0m, 0m),
        ]);
        Exchange.Setup(e => e.GetOrderChanceAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderChance(Market, 0.0005m, 0.0005m, 5_000m));
    }

    public static SignalResult Buy(decimal confidence, DateTimeOffset at) => new(
        Market, null, SignalAction.Buy, 0.7m, confidence, MarketRegime.BullTrend, "{}", "technical", null, false,
        null, null, null, null, null, 100_000_000m, 0.8, 0.8, 444, at);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
