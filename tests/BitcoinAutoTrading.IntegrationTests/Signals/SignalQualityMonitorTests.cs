using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Calibration;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.IntegrationTests.Persistence;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.IntegrationTests.Signals;

/// <summary>The hit-rate gate over real PostgreSQL: what counts, the pause with its risk event and notification, the recovery.</summary>
public sealed class SignalQualityMonitorTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly Mock<INotifier> _notifier = new();
    private readonly Mock<IRiskSettingsProvider> _settings = new();
    private SignalRepository _signals = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _signals = new SignalRepository(database.DataSource);
        _settings.Setup(s => s.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new RiskSettings());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RunAsync_HitRateFallsBelowMinimumThenRecovers_PausesAndResumesEachOnceWithEventAndNotification()
    {
        // 20 BUY/SELL primaries, oldest first: the first 7 right, the other 13 wrong → 0.35 < 0.40.
        var at = Now.AddDays(-3);
        for (var i = 0; i < 20; i++)
        {
            await SeedAsync(PersistenceTestData.Signal(at = at.AddMinutes(30), i % 2 == 0 ? SignalType.Buy : SignalType.Sell), correct: i < 7);
        }
        // Newer but not counted: HOLD, fallback and shadow signals, all right.
        await SeedAsync(PersistenceTestData.Signal(at = at.AddMinutes(30), SignalType.Hold), correct: true);
        await SeedAsync(PersistenceTestData.Signal(at = at.AddMinutes(30)) with { IsFallback = true, Provider = SignalProviderKind.Technical }, correct: true);
        await SeedAsync(PersistenceTestData.Signal(at = at.AddMinutes(30)) with { IsShadow = true }, correct: true);

        var paused = await Monitor().RunAsync();
        var again = await Monitor().RunAsync();

        Assert.True(paused.IsPaused);
        Assert.Equal((20, 7, 0.35m), (paused.HitRate.Sample, paused.HitRate.Correct, paused.HitRate.Rate));
        Assert.True(again.IsPaused);
        Assert.Equal([(SignalQualityMonitor.PausedAction, 0.35m, 0.40m)], await EventsAsync());
        _notifier.Verify(n => n.NotifyAsync(It.Is<string>(m => m.StartsWith("Entries paused", StringComparison.Ordinal)),
            NotificationSeverity.Critical, It.IsAny<CancellationToken>()), Times.Once);

        // Ten newer right answers: the newest 20 are those 10 and 10 wrong ones → 0.5.
        for (var i = 0; i < 10; i++)
        {
            await SeedAsync(PersistenceTestData.Signal(at = at.AddMinutes(30)), correct: true);
        }
        var recovered = await Monitor().RunAsync();

        Assert.False(recovered.IsPaused);
        Assert.Equal(0.5m, recovered.HitRate.Rate);
        Assert.Equal(
            [(SignalQualityMonitor.PausedAction, 0.35m, 0.40m), (SignalQualityMonitor.ResumedAction, 0.5m, 0.40m)],
            await EventsAsync());
        _notifier.Verify(n => n.NotifyAsync(It.Is<string>(m => m.StartsWith("Entries resumed", StringComparison.Ordinal)),
            NotificationSeverity.Info, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunAsync_FewerEvaluatedThanTheSample_NeverPauses()
    {
        for (var i = 0; i < 19; i++)
        {
            await SeedAsync(PersistenceTestData.Signal(Now.AddHours(-30 + i)), correct: false);
        }

        var status = await Monitor().RunAsync();

        Assert.False(status.IsPaused);
        Assert.Empty(await EventsAsync());
        _notifier.VerifyNoOtherCalls();
    }

    private SignalQualityMonitor Monitor() => new(
        _signals, new HitRateGate(_signals), new HitRateGateStateRepository(database.DataSource), _settings.Object,
        new RiskEventRecorder(new RiskEventRepository(database.DataSource), _clock, NullLogger<RiskEventRecorder>.Instance),
        _notifier.Object, _clock, NullLogger<SignalQualityMonitor>.Instance);

    private async Task SeedAsync(NewSignal signal, bool correct)
    {
        var id = await _signals.InsertAsync(signal);
        await _signals.SetEvaluationAsync(id, EvaluationHorizon.FourHours, 100_000_000m, correct ? 1m : -1m, correct, signal.CreatedAt.AddHours(4));
    }

    private async Task<List<(string Action, decimal? Trigger, decimal? Threshold)>> EventsAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string, decimal?, decimal?)>(
            "SELECT action_taken, trigger_value, threshold_value FROM risk_events WHERE event_type = 'LOW_CONFIDENCE' ORDER BY id");
        return rows.ToList();
    }
}
