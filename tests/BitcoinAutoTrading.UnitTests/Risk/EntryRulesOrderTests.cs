using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals.Calibration;
using BitcoinAutoTrading.Core.Trading;
using Xunit;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>
/// The one order of the entry checks that live trading and the backtester share (<see cref="EntryRules"/>): with every
/// check failing, each one in turn is made to pass, and the next in the order must decide — and read nothing after it.
/// </summary>
public sealed class EntryRulesOrderTests
{
    private const string Market = "KRW-BTC";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 0, 30, 0, TimeSpan.Zero);
    private static readonly RiskSettings Settings = new() { MinConfidence = 0.6m, TradeCooldownMinutes = 30, VolatilityThresholdPct = 3m };

    public static TheoryData<int, string, string> Steps => new()
    {
        { 0, "refused: KILL_SWITCH", "enabled" },
        { 1, "refused: DAILY_LIMIT", "enabled daily" },
        { 2, "refused: LOW_CONFIDENCE", "enabled daily hit" },
        { 3, "refused: LOW_CONFIDENCE", "enabled daily hit" },
        { 4, "refused: COOLDOWN", "enabled daily hit last" },
        { 5, "refused: VOLATILITY_HALT", "enabled daily hit last minutes" },
        { 6, "refused: VOLATILITY_HALT", "enabled daily hit last minutes" },
        { 7, "refused: VOLATILITY_HALT", "enabled daily hit last minutes holdings" },
        { 8, "refused: POSITION_LIMIT", "enabled daily hit last minutes holdings" },
        { 9, "approved", "enabled daily hit last minutes holdings" },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task DecideBuyAsync_ChecksPassingOneByOne_TheNextInTheOneOrderDecidesAndNothingLaterIsRead(
        int passing, string expected, string reads)
    {
        var facts = new ScriptedFacts(passing);

        var verdict = await EntryRules.DecideBuyAsync(facts, passing >= 4 ? 0.9m : 0.1m, Settings, Now);

        Assert.Equal(expected, verdict.Decision.Note);
        Assert.Equal(reads, string.Join(' ', facts.Reads));
        Assert.Equal(verdict.Decision.Approved, verdict.Refusal is null);
    }

    [Fact]
    public async Task DecideBuyAsync_DecidedSecondsAfterTheMinute_WindowIsTheFiveClosedMinutesBeforeIt()
    {
        // ScriptedFacts checks the window starts at Now − 5 min (Now is a whole minute): 40 s later it must still.
        var verdict = await EntryRules.DecideBuyAsync(new ScriptedFacts(9), 0.9m, Settings, Now.AddSeconds(40));

        Assert.Equal("approved", verdict.Decision.Note);
    }

    [Fact]
    public async Task DecideBuyAsync_HitRateRefusal_NamesTheRateSampleAndThreshold()
    {
        var verdict = await EntryRules.DecideBuyAsync(new ScriptedFacts(2), 0.9m, Settings, Now);

        var refusal = Assert.IsType<EntryRefusal>(verdict.Refusal);
        Assert.Equal((RiskEventType.LowConfidence, 0.25m, 0.40m, EntryRules.EntryRefused), (refusal.Type, refusal.Trigger, refusal.Threshold, refusal.Action));
    }

    [Fact]
    public async Task DecideSellAsync_Halted_RefusedAsASignalSellAndThePositionIsNotRead()
    {
        var facts = new ScriptedFacts(1);

        var verdict = await EntryRules.DecideSellAsync(facts);

        Assert.Equal(EntryRules.SignalSellRefused, verdict.Refusal?.Action);
        Assert.Equal("enabled daily", string.Join(' ', facts.Reads));
    }

    /// <summary>Facts where the first <c>passing</c> checks pass and the rest fail; records what was read.</summary>
    private sealed class ScriptedFacts(int passing) : IEntryFacts
    {
        public List<string> Reads { get; } = [];

        public ValueTask<bool> IsTradingEnabledAsync(CancellationToken cancellationToken) => Read("enabled", passing >= 1);

        public ValueTask<DailyLossStatus> CheckDailyLossAsync(CancellationToken cancellationToken) =>
            Read("daily", new DailyLossStatus(passing < 2, 6m, 5m));

        public ValueTask<HitRateStatus> CheckHitRateAsync(RiskSettings settings, CancellationToken cancellationToken) =>
            Read("hit", HitRateGate.Judge(passing >= 3 ? new SignalHitRate(20, 10) : new SignalHitRate(20, 5), settings));

        public ValueTask<Order?> GetLatestOrderAsync(CancellationToken cancellationToken) =>
            Read("last", (Order?)new Order
            {
                Id = 7, Market = Market, Side = OrderSide.Buy, OrdType = OrderType.Price, Identifier = "x", Status = OrderStatus.Executed, Reason = OrderReason.Signal,
                CreatedAt = passing >= 5 ? Now.AddHours(-1) : Now.AddMinutes(-10),
            });

        public ValueTask<IReadOnlyList<MarketMinute>> GetRecentMinutesAsync(DateTimeOffset since, int count, CancellationToken cancellationToken)
        {
            Assert.Equal((Now - EntryRules.VolatilityWindow, EntryRules.VolatilityWindowMinutes), (since, count));
            IReadOnlyList<MarketMinute> minutes = passing switch
            {
                < 6 => [],
                6 => [Minute(100m, 90m)],
                _ => [Minute(100m, 99.5m)],
            };
            return Read("minutes", minutes);
        }

        public ValueTask<Holdings> ReadHoldingsForBuyAsync(CancellationToken cancellationToken) =>
            Read("holdings", new Holdings(Market, 100m, passing >= 9 ? 1_000_000m : 1_000m, passing >= 9 ? 1_000_000m : 1_000m, 0m, 0m,
                passing >= 8 ? Now : Now.AddMinutes(-2)));

        public ValueTask<Holdings> ReadHoldingsAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("a buy reads the buy holdings");

        public ValueTask<Position?> GetPositionAsync(CancellationToken cancellationToken) => Read("position", (Position?)null);

        private ValueTask<T> Read<T>(string name, T value)
        {
            Reads.Add(name);
            return new ValueTask<T>(value);
        }

        private static MarketMinute Minute(decimal high, decimal low) => new(1, Market, Now.AddMinutes(-1), low, high, low, low, 1m, low);
    }
}
