using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Providers;
using BitcoinAutoTrading.Core.Signals.Sampling;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.UnitTests.MarketData;

/// <summary>The GenerateSignal run around the pipeline: settings in, stored row and execution note out.</summary>
public sealed class SignalRunnerTests
{
    private const string Market = "KRW-BTC";
    private const long SignalId = 42;
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 30, 0, TimeSpan.Zero);

    private readonly Mock<ISignalProvider> _model = new();
    private readonly Mock<ISignalRepository> _signals = new();
    private readonly Mock<ISignalExecutor> _executor = new();
    private readonly Mock<INotifier> _notifier = new();
    private readonly List<NewSignal> _inserted = [];
    private readonly List<string> _notes = [];

    public SignalRunnerTests()
    {
        _model.Setup(p => p.Name).Returns(SignalProviderNames.Gemini);
        _model.Setup(p => p.IsConfigured).Returns(true);
        _signals.Setup(s => s.InsertAsync(It.IsAny<NewSignal>(), It.IsAny<CancellationToken>()))
            .Callback<NewSignal, CancellationToken>((s, _) => _inserted.Add(s)).ReturnsAsync(SignalId);
        _signals.Setup(s => s.SetExecutionNoteAsync(SignalId, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<long, string, CancellationToken>((_, note, _) => _notes.Add(note)).ReturnsAsync(true);
    }

    [Fact]
    public async Task RunAsync_ModelSaysBuy_StoresMappedRowAndExecutorNote()
    {
        ModelAnswers(0.6);
        _executor.Setup(e => e.ExecuteAsync(SignalId, It.IsAny<SignalResult>(), It.IsAny<CancellationToken>())).ReturnsAsync("order started");

        var run = await Runner().RunAsync(Market);

        var row = Assert.Single(_inserted);
        Assert.Equal(SignalType.Buy, row.Type);
        Assert.Equal(SignalProviderKind.Gemini, row.Provider);
        Assert.Equal(0.6m, row.ActionScore);
        Assert.Equal(7, row.MarketDataId);
        Assert.Equal(150_000_000m, row.PriceAtSignal);
        Assert.Equal((1200, 80, 400, 900, "gemini-2.5-flash"), (row.InputTokens, row.OutputTokens, row.ThinkingTokens, row.LatencyMs, row.ModelName));
        Assert.Equal(Now, row.CreatedAt);
        Assert.Equal(["order started"], _notes);
        Assert.Equal(new SignalRunResult(SignalId, run.Signal, "order started"), run);
    }

    [Fact]
    public async Task RunAsync_RiskSettingsRaiseBuyThresholdAndPickModel_ScoreBelowIsHoldAndModelAsked()
    {
        ModelAnswers(0.6);
        var settings = new Mock<IRiskSettingsProvider>();
        settings.Setup(s => s.GetAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RiskSettings { SignalBuyThreshold = 0.8m, AiModel = "gemini-2.5-pro" });

        var run = await Runner(settings.Object).RunAsync(Market);

        Assert.Equal(SignalAction.Hold, run.Signal.Action);
        Assert.Equal([SignalRunner.HoldNote], _notes);
        _model.Verify(p => p.GetSignalAsync(It.Is<SignalContext>(c => c.Model == "gemini-2.5-pro"), It.IsAny<CancellationToken>()));
        _executor.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RunAsync_ModelSaysSell_HandedToExecutorAndItsNoteStored()
    {
        // The executor is a required dependency: a SELL is never recorded as untradeable for want of one.
        ModelAnswers(-0.7);
        _executor.Setup(e => e.ExecuteAsync(SignalId, It.Is<SignalResult>(r => r.Action == SignalAction.Sell), It.IsAny<CancellationToken>()))
            .ReturnsAsync("no position to sell");

        var run = await Runner().RunAsync(Market);

        Assert.Equal(SignalType.Sell, Assert.Single(_inserted).Type);
        Assert.Equal("no position to sell", run.ExecutionNote);
        Assert.Equal(["no position to sell"], _notes);
    }

    [Fact]
    public async Task RunAsync_ModelFails_FallbackStoredAndNeverExecuted()
    {
        _model.Setup(p => p.GetSignalAsync(It.IsAny<SignalContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SignalProviderException("malformed", new ProviderUsage("gemini-2.5-flash", 1200, 5, 0, 300)));

        var run = await Runner().RunAsync(Market);

        var row = Assert.Single(_inserted);
        Assert.True(row.IsFallback);
        Assert.Equal(SignalProviderKind.Technical, row.Provider);
        Assert.Equal(1200, row.InputTokens);
        Assert.Equal(SignalRunner.FallbackNote, run.ExecutionNote);
        _executor.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RunAsync_ExecutorThrows_NoteRecordsTheErrorAndOperatorIsAlerted()
    {
        ModelAnswers(0.6);
        _executor.Setup(e => e.ExecuteAsync(SignalId, It.IsAny<SignalResult>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("orchestration client down"));

        var run = await Runner().RunAsync(Market);

        Assert.Equal("not executed: error InvalidOperationException", run.ExecutionNote);
        Assert.Equal([run.ExecutionNote], _notes);
        _notifier.Verify(n => n.NotifyAsync(It.Is<string>(m => m.Contains("Signal 42", StringComparison.Ordinal)),
            NotificationSeverity.Critical, It.IsAny<CancellationToken>()), Times.Once);
    }

    private void ModelAnswers(double score) => _model
        .Setup(p => p.GetSignalAsync(It.IsAny<SignalContext>(), It.IsAny<CancellationToken>()))
        .ReturnsAsync(new ProviderSignal(score, MarketRegime.Sideways, """{"summary":"test"}""", null,
            new ProviderUsage("gemini-2.5-flash", 1200, 80, 400, 900)));

    private SignalRunner Runner(IRiskSettingsProvider? settings = null)
    {
        var bar = new SampledBar(Now.AddMinutes(-5), 149_000_000m, 151_000_000m, 148_000_000m, 150_000_000m, 3m);
        var sampler = new Mock<IMarketSampler>();
        sampler.Setup(s => s.SampleAsync(Market, Now, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new MarketSample(Market, [bar], [bar], [bar], new LatestMinute(7, Now.AddMinutes(-1), 150_000_000m)));
        var exchange = new Mock<IExchange>();
        exchange.Setup(e => e.GetCandlesAsync(Market, It.IsAny<CandleInterval>(), It.IsAny<int>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, CandleInterval interval, int count, DateTimeOffset? _, CancellationToken _) => Flat(interval, count));
        var pipeline = new SignalPipeline(
            sampler.Object, new MultiTimeframeAnalyzer(exchange.Object), [new TechnicalSignalProvider(), _model.Object],
            BitcoinAutoTrading.UnitTests.Signals.TestBudget.Unlimited(), new FakeTimeProvider(Now), NullLogger<SignalPipeline>.Instance);
        return new SignalRunner(
            pipeline, _signals.Object, settings ?? DefaultSettings(), _executor.Object, _notifier.Object,
            AiPricing.Default, NullLogger<SignalRunner>.Instance);
    }

    private static IRiskSettingsProvider DefaultSettings()
    {
        var settings = new Mock<IRiskSettingsProvider>();
        settings.Setup(s => s.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new RiskSettings());
        return settings.Object;
    }

    private static List<Candle> Flat(CandleInterval interval, int count) => Enumerable.Range(0, count)
        .Select(i => Now.AddMinutes((int)interval * (i - count)))
        .Select((t, i) => new Candle(Market, t, 150_000_000m, 150_500_000m + i, 149_500_000m, 150_000_000m + i * 10m, 1m, 150_000_000m))
        .ToList();
}
