using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>The real risk services over mocked repositories, exchange and order starter; records what they stored and started.</summary>
internal sealed class RiskHarness
{
    public const string Market = "KRW-BTC";

    /// <summary>12:00 KST on 2026-03-10.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly Today = new(2026, 3, 10);

    public FakeTimeProvider Clock { get; } = new(Now);
    public Mock<IRiskSettingsProvider> Settings { get; } = new();
    public Mock<IDailyStatsRepository> DailyStats { get; } = new();
    public Mock<IRiskEventRepository> RiskEvents { get; } = new();
    public Mock<IOrderRepository> Orders { get; } = new();
    public Mock<IMarketDataRepository> MarketData { get; } = new();
    public Mock<IPositionRepository> Positions { get; } = new();
    public Mock<IExchange> Exchange { get; } = new();
    public Mock<IOrderStarter> Starter { get; } = new();
    public Mock<INotifier> Notifier { get; } = new();

    public List<NewRiskEvent> StoredEvents { get; } = [];
    public List<OrderInstruction> Started { get; } = [];
    public List<string> Notifications { get; } = [];

    public RiskSettings CurrentSettings { get; set; } = new();

    /// <summary>The mocked <see cref="Settings"/> unless a test puts the real cached provider here.</summary>
    public IRiskSettingsProvider? SettingsProvider { get; set; }

    private IRiskSettingsProvider SettingsSource => SettingsProvider ?? Settings.Object;

    public RiskHarness()
    {
        Settings.Setup(s => s.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => CurrentSettings);
        Settings.Setup(s => s.IsTradingEnabledAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => CurrentSettings.TradingEnabled);
        // The halt is conditional in SQL; unmocked here, every call that asks is the one that halts.
        DailyStats.Setup(d => d.SetHaltAsync(It.IsAny<DateOnly>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        RiskEvents.Setup(r => r.InsertAsync(It.IsAny<NewRiskEvent>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((NewRiskEvent e, CancellationToken _) =>
            {
                StoredEvents.Add(e);
                return StoredEvents.Count;
            });
        Starter.Setup(s => s.StartAsync(It.IsAny<OrderInstruction>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrderInstruction i, CancellationToken _) =>
            {
                Started.Add(i);
                return new OrderStartResult(OrderStartStatus.Started, $"order-{i.Market}");
            });
        Notifier.Setup(n => n.NotifyAsync(It.IsAny<string>(), It.IsAny<NotificationSeverity>(), It.IsAny<CancellationToken>()))
            .Callback((string m, NotificationSeverity _, CancellationToken _) => Notifications.Add(m))
            .Returns(Task.CompletedTask);
        // The collector is running: one quiet minute stored just now (no data at all refuses every entry, SPEC §5.3).
        MarketData.Setup(m => m.GetHistoryAsync(Market, It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => [new MarketMinute(1, Market, Clock.GetUtcNow().AddMinutes(-1), 100_000_000m, 100_000_000m, 100_000_000m, 100_000_000m, 1m, 1m)]);
        SetHoldings(price: 100_000_000m, krwAvailable: 1_000_000m);
    }

    public void SetHoldings(decimal price, decimal krwAvailable, decimal krwLocked = 0m, decimal btcAvailable = 0m, decimal btcLocked = 0m)
    {
        Exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(Market, price, Clock.GetUtcNow()));
        Exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new Balance("KRW", krwAvailable, krwLocked, 0m),
            new Balance("BTC", btcAvailable, btcLocked, 0m),
        ]);
        Exchange.Setup(e => e.GetOrderChanceAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderChance(Market, 0.0005m, 0.0005m, 5_000m));
    }

    public void SetDay(decimal startingEquity, decimal realizedPnl, bool halted = false) =>
        DailyStats.Setup(d => d.GetAsync(Today, It.IsAny<CancellationToken>())).ReturnsAsync(new DailyStats(
            Today, startingEquity, null, realizedPnl, 1, 0, 1, halted, halted ? "daily loss" : null, null, Now));

    public void SetPosition(decimal quantity, decimal avgEntryPrice, decimal? peak = null) =>
        Positions.Setup(p => p.GetAsync(Market, It.IsAny<CancellationToken>())).ReturnsAsync(
            new Position(Market, quantity, avgEntryPrice, 0m, peak, Now.AddDays(-1), Now));

    public void SetLastOrder(DateTimeOffset createdAt) =>
        Orders.Setup(o => o.GetLatestAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Order(createdAt, OrderStatus.Executed));

    public void SetActiveOrder(OrderSide side = OrderSide.Buy, string? exchangeUuid = null) =>
        Orders.Setup(o => o.GetActiveAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Order(Now.AddSeconds(-10), OrderStatus.Submitted) with { Side = side, ExchangeUuid = exchangeUuid });

    public void SetMinutes(params (decimal High, decimal Low)[] ranges) =>
        MarketData.Setup(m => m.GetHistoryAsync(Market, Now - EntryRules.VolatilityWindow, 5, It.IsAny<CancellationToken>()))
            .ReturnsAsync(ranges.Select((r, i) => new MarketMinute(i + 1, Market, Now.AddMinutes(-i), r.Low, r.High, r.Low, r.High, 1m, 1m)).ToList());

    public RiskEventRecorder Recorder() => new(RiskEvents.Object, Clock, NullLogger<RiskEventRecorder>.Instance);

    public PortfolioValuation Valuation() => new(Exchange.Object);

    public DailyLossGuard Guard() => new(SettingsSource, DailyStats.Object, Recorder(), Notifier.Object, Clock);

    /// <summary>The hit-rate gate's reads; by default no signal has been evaluated yet, so the gate does not act.</summary>
    public Mock<BitcoinAutoTrading.Core.Signals.ISignalRepository> Signals { get; } = NoEvaluatedSignals();

    public EntryRiskEvaluator Evaluator() => new(
        SettingsSource, Guard(), Orders.Object, MarketData.Object, Positions.Object, Valuation(), Recorder(),
        new BitcoinAutoTrading.Core.Signals.Calibration.HitRateGate(Signals.Object), Clock);

    private static Mock<BitcoinAutoTrading.Core.Signals.ISignalRepository> NoEvaluatedSignals()
    {
        var signals = new Mock<BitcoinAutoTrading.Core.Signals.ISignalRepository>();
        signals.Setup(s => s.GetRecentHitRateAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new BitcoinAutoTrading.Core.Signals.Calibration.SignalHitRate(0, 0));
        return signals;
    }

    public ProtectiveExitMonitor ExitMonitor() => new(
        SettingsSource, Positions.Object, Orders.Object, Starter.Object, Exchange.Object, Valuation(), Guard(), Recorder(), Notifier.Object,
        NullLogger<ProtectiveExitMonitor>.Instance);

    public SignalExecutor Executor() => new(Evaluator(), Orders.Object, Starter.Object, NullLogger<SignalExecutor>.Instance);

    private static Order Order(DateTimeOffset createdAt, OrderStatus status) => new()
    {
        Id = 7,
        Market = Market,
        Side = OrderSide.Buy,
        OrdType = OrderType.Price,
        RequestedKrw = 100_000m,
        Identifier = "bat-7",
        Status = status,
        Reason = OrderReason.Signal,
        CreatedAt = createdAt,
    };
}
