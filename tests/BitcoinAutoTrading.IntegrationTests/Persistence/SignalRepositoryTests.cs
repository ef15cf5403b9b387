using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Npgsql;
using static BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class SignalRepositoryTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly SignalRepository _repository = new(db.DataSource);
    private readonly MarketDataRepository _marketData = new(db.DataSource);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task InsertAsync_FullSignal_GetByIdReturnsEveryColumn()
    {
        await _marketData.UpsertMinutesAsync(Minutes(1));
        var minute = await _marketData.GetLatestAsync(Market);
        var signal = Signal(T0.AddMinutes(1).ToOffset(TimeSpan.FromHours(9)), SignalType.Sell, minute!.Id) with
        {
            IsFallback = true,
            Provider = SignalProviderKind.Technical,
        };

        var id = await _repository.InsertAsync(signal);
        var stored = await _repository.GetByIdAsync(id);

        Assert.Equal(
            new TradingSignal
            {
                Id = id,
                Market = signal.Market,
                MarketDataId = minute.Id,
                Type = SignalType.Sell,
                ActionScore = signal.ActionScore,
                Confidence = signal.Confidence,
                MarketRegime = signal.MarketRegime,
                ReasoningJson = signal.ReasoningJson,
                Provider = SignalProviderKind.Technical,
                ModelName = signal.ModelName,
                IsFallback = true,
                InputTokens = signal.InputTokens,
                OutputTokens = signal.OutputTokens,
                ThinkingTokens = signal.ThinkingTokens,
                LatencyMs = signal.LatencyMs,
                PromptChars = signal.PromptChars,
                PriceAtSignal = signal.PriceAtSignal,
                CreatedAt = T0.AddMinutes(1),
            },
            stored);
        Assert.Null(await _repository.GetByIdAsync(id + 1));
    }

    [Fact]
    public async Task InsertAsync_MinimalSignal_DefaultsStored()
    {
        var id = await _repository.InsertAsync(new NewSignal
        {
            Market = Market,
            Type = SignalType.Hold,
            ActionScore = 0m,
            Confidence = 0.5m,
            Provider = SignalProviderKind.Technical,
            CreatedAt = T0,
        });

        var stored = await _repository.GetByIdAsync(id);

        Assert.NotNull(stored);
        Assert.Equal("{}", stored.ReasoningJson);
        Assert.Null(stored.MarketDataId);
        Assert.Null(stored.InputTokens);
        Assert.Null(stored.Evaluation4h);
        Assert.False(stored.IsFallback);
    }

    [Fact]
    public async Task ListAsync_TypeAndPaging_NewestFirstWithoutGapsOrRepeats()
    {
        var ids = new List<long>();
        for (var i = 0; i < 9; i++)
        {
            ids.Add(await _repository.InsertAsync(Signal(T0.AddMinutes(30 * i), i % 3 == 0 ? SignalType.Buy : SignalType.Hold)));
        }

        var firstPage = await _repository.ListAsync(4);
        var secondPage = await _repository.ListAsync(4, beforeId: firstPage[^1].Id);
        var thirdPage = await _repository.ListAsync(4, beforeId: secondPage[^1].Id);
        var buys = await _repository.ListAsync(10, SignalType.Buy);
        var olderBuys = await _repository.ListAsync(10, SignalType.Buy, beforeId: buys[0].Id);

        Assert.Equal(ids.AsEnumerable().Reverse(), firstPage.Concat(secondPage).Concat(thirdPage).Select(s => s.Id));
        Assert.Equal([ids[6], ids[3], ids[0]], buys.Select(s => s.Id));
        Assert.Equal([ids[3], ids[0]], olderBuys.Select(s => s.Id));
    }

    [Fact]
    public async Task GetLatestAsync_TwoMarkets_ReturnsNewestOfTheAskedMarket()
    {
        var btc = await _repository.InsertAsync(Signal(T0.AddMinutes(1)));
        await _repository.InsertAsync(Signal(T0.AddMinutes(2)) with { Market = "KRW-ETH" });
        await _repository.InsertAsync(Signal(T0));

        Assert.Equal(btc, (await _repository.GetLatestAsync(Market))!.Id);
        Assert.Null(await _repository.GetLatestAsync("KRW-XRP"));
    }

    [Fact]
    public async Task GetByMarketDataIdAsync_SignalForMinute_FoundOnlyForThatMinute()
    {
        await _marketData.UpsertMinutesAsync(Minutes(2));
        var minutes = await _marketData.GetHistoryAsync(Market, T0, 10);
        var id = await _repository.InsertAsync(Signal(T0.AddMinutes(2), marketDataId: minutes[0].Id));

        Assert.Equal(id, (await _repository.GetByMarketDataIdAsync(minutes[0].Id))!.Id);
        Assert.Null(await _repository.GetByMarketDataIdAsync(minutes[1].Id));
    }

    [Fact]
    public async Task SetExecutionNoteAsync_ExistingAndMissing_StoresNoteOrReturnsFalse()
    {
        var id = await _repository.InsertAsync(Signal(T0));

        Assert.True(await _repository.SetExecutionNoteAsync(id, "refused: LOW_CONFIDENCE"));
        Assert.False(await _repository.SetExecutionNoteAsync(id + 100, "nothing"));
        Assert.Equal("refused: LOW_CONFIDENCE", (await _repository.GetByIdAsync(id))!.ExecutionNote);
    }

    [Fact]
    public async Task ListDueForEvaluationAsync_PerHorizon_ListsOnlyOldEnoughAndUnevaluated()
    {
        var now = T0.AddDays(2);
        var hours25 = await _repository.InsertAsync(Signal(now.AddHours(-25)));
        var hours5 = await _repository.InsertAsync(Signal(now.AddHours(-5)));
        var exactly4 = await _repository.InsertAsync(Signal(now.AddHours(-4)));
        await _repository.InsertAsync(Signal(now.AddHours(-3)));

        var due4 = await _repository.ListDueForEvaluationAsync(EvaluationHorizon.FourHours, now);
        var due24 = await _repository.ListDueForEvaluationAsync(EvaluationHorizon.TwentyFourHours, now);
        await _repository.SetEvaluationAsync(hours5, EvaluationHorizon.FourHours, 96_000_000m, 0.9m, true, now);
        var due4After = await _repository.ListDueForEvaluationAsync(EvaluationHorizon.FourHours, now);
        var limited = await _repository.ListDueForEvaluationAsync(EvaluationHorizon.FourHours, now, limit: 1);

        Assert.Equal([hours25, hours5, exactly4], due4.Select(s => s.Id));
        Assert.Equal([hours25], due24.Select(s => s.Id));
        Assert.Equal([hours25, exactly4], due4After.Select(s => s.Id));
        Assert.Equal([hours25], limited.Select(s => s.Id));
    }

    [Fact]
    public async Task SetEvaluationAsync_SecondTime_FirstEvaluationKept()
    {
        var id = await _repository.InsertAsync(Signal(T0));
        var at = T0.AddHours(24).AddMinutes(3);

        var first = await _repository.SetEvaluationAsync(id, EvaluationHorizon.TwentyFourHours, 97_000_000m, 1.974125m, true, at);
        var second = await _repository.SetEvaluationAsync(id, EvaluationHorizon.TwentyFourHours, 90_000_000m, -5m, false, at.AddHours(1));
        var missing = await _repository.SetEvaluationAsync(id + 1, EvaluationHorizon.FourHours, 1m, 0m, true, at);
        var stored = await _repository.GetByIdAsync(id);

        Assert.True(first);
        Assert.False(second);
        Assert.False(missing);
        Assert.Null(stored!.Evaluation4h);
        Assert.Equal(new SignalEvaluation(97_000_000m, 1.974125m, true, at), stored.Evaluation24h);
    }

    [Fact]
    public async Task GetPerformanceAsync_EvaluatedSignals_CountsAccuracyAndMeanChangePerType()
    {
        var at = T0.AddDays(2);
        async Task AddAsync(SignalType type, DateTimeOffset createdAt, (decimal Change, bool Correct)? h4, (decimal Change, bool Correct)? h24)
        {
            var id = await _repository.InsertAsync(Signal(createdAt, type));
            if (h4 is { } e4)
            {
                await _repository.SetEvaluationAsync(id, EvaluationHorizon.FourHours, 95_000_000m, e4.Change, e4.Correct, at);
            }
            if (h24 is { } e24)
            {
                await _repository.SetEvaluationAsync(id, EvaluationHorizon.TwentyFourHours, 95_000_000m, e24.Change, e24.Correct, at);
            }
        }

        await AddAsync(SignalType.Buy, T0, (1.5m, true), (2m, true));
        await AddAsync(SignalType.Buy, T0, (-0.5m, false), (1m, true));
        await AddAsync(SignalType.Buy, T0, (0.2m, true), null);
        await AddAsync(SignalType.Sell, T0, (-1m, true), (0.5m, false));
        await AddAsync(SignalType.Hold, T0, null, null);
        await AddAsync(SignalType.Buy, T0.AddDays(-3), (9m, true), (9m, true)); // before the window

        var performance = await _repository.GetPerformanceAsync(T0.AddHours(-1));

        Assert.Equal(
            [
                new SignalPerformance(SignalType.Buy, 3,
                    new HorizonPerformance(3, 2, 66.67m, 0.4m), new HorizonPerformance(2, 2, 100m, 1.5m)),
                new SignalPerformance(SignalType.Hold, 1,
                    new HorizonPerformance(0, 0, null, null), new HorizonPerformance(0, 0, null, null)),
                new SignalPerformance(SignalType.Sell, 1,
                    new HorizonPerformance(1, 1, 100m, -1m), new HorizonPerformance(1, 0, 0m, 0.5m)),
            ],
            performance);
    }

    [Fact]
    public async Task GetAiUsageAsync_TwoDaysTwoProviders_SumsTokensPerUtcDayProviderAndModel()
    {
        // 23:30 UTC is the next morning in Korea: grouping must follow the UTC day.
        var day1 = new DateTimeOffset(2026, 3, 2, 23, 30, 0, TimeSpan.Zero);
        await _repository.InsertAsync(Signal(day1));
        await _repository.InsertAsync(Signal(day1.AddMinutes(20)) with { InputTokens = 100, OutputTokens = null, ThinkingTokens = null });
        await _repository.InsertAsync(Signal(day1.AddMinutes(40)));
        await _repository.InsertAsync(Signal(day1.AddMinutes(10)) with
        {
            Provider = SignalProviderKind.Technical, ModelName = null, IsFallback = true,
            InputTokens = null, OutputTokens = null, ThinkingTokens = null, LatencyMs = null,
        });

        var usage = await _repository.GetAiUsageAsync(day1.AddHours(-1));

        Assert.Equal(
            [
                new AiUsageDay(new DateOnly(2026, 3, 3), SignalProviderKind.Gemini, "gemini-2.5-flash", 1, 0, 2400, 180, 512),
                new AiUsageDay(new DateOnly(2026, 3, 2), SignalProviderKind.Gemini, "gemini-2.5-flash", 2, 0, 2500, 180, 512),
                new AiUsageDay(new DateOnly(2026, 3, 2), SignalProviderKind.Technical, null, 1, 1, 0, 0, 0),
            ],
            usage);
    }

    [Fact]
    public async Task InsertAsync_ConfidenceAboveOne_RejectedByCheckConstraint()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => _repository.InsertAsync(Signal(T0) with { Confidence = 1.01m }));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal("ck_trading_signals_confidence", error.ConstraintName);
    }

    [Fact]
    public async Task InsertAsync_ReasoningNotJson_Rejected()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => _repository.InsertAsync(Signal(T0) with { ReasoningJson = "not json" }));

        Assert.Equal(PostgresErrorCodes.InvalidTextRepresentation, error.SqlState);
    }
}
