using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Functions.Signals;
using BitcoinAutoTrading.Infrastructure.Jobs;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.IntegrationTests.Signals;

/// <summary>EvaluateSignals (SPEC §4.6) on stored signals and minutes with known prices, in real PostgreSQL.</summary>
public sealed class GenerateSignalEvaluationTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Market = "KRW-BTC";
    private const decimal Entry = 100_000_000m;
    private static readonly DateTimeOffset T0 = new(2026, 1, 14, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddHours(25);

    private readonly FakeTimeProvider _clock = new(Now);
    private SignalRepository _signals = null!;
    private MarketDataRepository _marketData = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _signals = new SignalRepository(database.DataSource);
        _marketData = new MarketDataRepository(database.DataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EvaluateSignals_KnownPrices_ScoresAgainstFeesAndHoldBand()
    {
        // Signal k is created at T0 + 30 min·k; the minute at its 4 h mark closes at the given price.
        var buyBeatsFees = await SignalAsync(0, SignalType.Buy, after4h: 100_200_000m);       // +0.20 % > 0.1 % fees
        var buyWithinFees = await SignalAsync(1, SignalType.Buy, after4h: 100_050_000m);      // +0.05 %: eaten by fees
        var sellFell = await SignalAsync(2, SignalType.Sell, after4h: 99_500_000m);           // −0.50 %
        var holdQuiet = await SignalAsync(3, SignalType.Hold, after4h: 100_800_000m);         // +0.80 % < 1 %
        var holdMoved = await SignalAsync(4, SignalType.Hold, after4h: 98_500_000m);          // −1.50 %
        await MinuteAsync(T0.AddHours(24), 99_950_000m);                                     // first signal's 24 h mark: −0.05 %
        // Created 3 h ago: not due. Created at T0 + 3 h: the nearest minute before its 4 h mark is an hour old.
        var notDue = await InsertSignalAsync(Now.AddHours(-3), SignalType.Buy);
        var noPrice = await InsertSignalAsync(T0.AddHours(3), SignalType.Buy);

        await Function().EvaluateSignals(new TimerInfo(), CancellationToken.None);

        await AssertEvaluatedAsync(buyBeatsFees, 100_200_000m, 0.2m, correct: true);
        await AssertEvaluatedAsync(buyWithinFees, 100_050_000m, 0.05m, correct: false);
        await AssertEvaluatedAsync(sellFell, 99_500_000m, -0.5m, correct: true);
        await AssertEvaluatedAsync(holdQuiet, 100_800_000m, 0.8m, correct: true);
        await AssertEvaluatedAsync(holdMoved, 98_500_000m, -1.5m, correct: false);
        var first = await _signals.GetByIdAsync(buyBeatsFees);
        Assert.Equal(new SignalEvaluation(99_950_000m, -0.05m, false, Now), first!.Evaluation24h);
        // The others' 24 h marks have no minute within 10 minutes: they wait for data instead of using a stale price.
        Assert.Null((await _signals.GetByIdAsync(sellFell))!.Evaluation24h);
        Assert.Null((await _signals.GetByIdAsync(notDue))!.Evaluation4h);
        Assert.Null((await _signals.GetByIdAsync(noPrice))!.Evaluation4h);

        // A repeated run records nothing new.
        var evaluator = Evaluator();
        Assert.Equal(0, await evaluator.EvaluateAsync());
    }

    [Fact]
    public async Task EvaluateAsync_SignalWithoutStoredPrice_UsesTheMinuteAtItsCreation()
    {
        await MinuteAsync(T0, Entry);
        await MinuteAsync(T0.AddHours(4), 101_000_000m);
        var id = await _signals.InsertAsync(NewSignal(T0, SignalType.Buy) with { PriceAtSignal = null });

        Assert.Equal(1, await Evaluator().EvaluateAsync());

        await AssertEvaluatedAsync(id, 101_000_000m, 1m, correct: true);
    }

    private EvaluateSignalsFunction Function() => new(
        new JobRunner(
            new JobRunRepository(database.DataSource), Mock.Of<INotifier>(), _clock,
            Options.Create(new JobRetryOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(1) }), NullLogger<JobRunner>.Instance),
        Evaluator(),
        new BitcoinAutoTrading.Core.Signals.Calibration.SignalQualityMonitor(
            _signals, new BitcoinAutoTrading.Core.Signals.Calibration.HitRateGate(_signals), new HitRateGateStateRepository(database.DataSource),
            Mock.Of<BitcoinAutoTrading.Core.Risk.IRiskSettingsProvider>(p => p.GetAsync(It.IsAny<CancellationToken>()) == Task.FromResult(new BitcoinAutoTrading.Core.Risk.RiskSettings())),
            new BitcoinAutoTrading.Core.Risk.RiskEventRecorder(new RiskEventRepository(database.DataSource), _clock, NullLogger<BitcoinAutoTrading.Core.Risk.RiskEventRecorder>.Instance),
            Mock.Of<INotifier>(), _clock, NullLogger<BitcoinAutoTrading.Core.Signals.Calibration.SignalQualityMonitor>.Instance));

    private SignalEvaluator Evaluator() => new(_signals, _marketData, _clock, NullLogger<SignalEvaluator>.Instance);

    private async Task<long> SignalAsync(int index, SignalType type, decimal after4h)
    {
        var createdAt = T0.AddMinutes(30 * index);
        await MinuteAsync(createdAt.AddHours(4), after4h);
        return await InsertSignalAsync(createdAt, type);
    }

    private Task<long> InsertSignalAsync(DateTimeOffset createdAt, SignalType type) => _signals.InsertAsync(NewSignal(createdAt, type));

    private static NewSignal NewSignal(DateTimeOffset createdAt, SignalType type) => new()
    {
        Market = Market,
        Type = type,
        ActionScore = type switch { SignalType.Buy => 0.5m, SignalType.Sell => -0.5m, _ => 0m },
        Confidence = 0.7m,
        Provider = SignalProviderKind.Technical,
        PriceAtSignal = Entry,
        CreatedAt = createdAt,
    };

    private Task<int> MinuteAsync(DateTimeOffset ts, decimal close) =>
        _marketData.UpsertMinutesAsync([new Candle(Market, ts, close, close, close, close, 1m, close)]);

    private async Task AssertEvaluatedAsync(long id, decimal priceAfter, decimal changePct, bool correct)
    {
        var signal = await _signals.GetByIdAsync(id);
        Assert.Equal(new SignalEvaluation(priceAfter, changePct, correct, Now), signal!.Evaluation4h);
    }
}
