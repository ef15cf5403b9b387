using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Prompt;
using BitcoinAutoTrading.Core.Signals.Sampling;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.UnitTests.Signals;

public sealed class PromptBuilderTests(ITestOutputHelper output)
{
    [Fact]
    public void Build_FullDataSet_StaysWithinTokenBudget()
    {
        var sample = SignalTestData.FullSample();
        var analysis = SignalTestData.Analysis(tf => SignalTestData.RandomWalk(tf, (int)tf));

        var prompt = PromptBuilder.Build(sample, analysis, DecisionThresholds.Default, sample.Latest!.Close, SignalTestData.Now,
            new PortfolioSnapshot(523_000m, 0.01234567m, 148_500_000m));

        var tokens = PromptBuilder.EstimateTokens(prompt);
        output.WriteLine($"P7: {sample.BarCount} bars + {analysis.Timeframes.Count} timeframes -> {prompt.Length} chars, {tokens} estimated tokens");
        Assert.Equal(444, sample.BarCount);
        Assert.True(tokens <= PromptBuilder.MaxEstimatedTokens, $"{tokens} estimated tokens exceed {PromptBuilder.MaxEstimatedTokens}");
        // One row per bar: nothing was dropped to fit the budget.
        Assert.True(prompt.Split('\n').Length >= 444 + 4);
    }

    [Fact]
    public void Build_StatesDecisionRulesAndConfidenceFormula()
    {
        var sample = SignalTestData.FullSample();
        var analysis = SignalTestData.Analysis(tf => SignalTestData.Trending(tf, 0.01));

        var prompt = PromptBuilder.Build(sample, analysis, new DecisionThresholds(0.35m, -0.25m), 150_000_000m, SignalTestData.Now);

        Assert.Contains("BUY if >=0.35", prompt, StringComparison.Ordinal);
        Assert.Contains("SELL if <=-0.25", prompt, StringComparison.Ordinal);
        Assert.Contains("confidence=min(1,0.5*|action_score|+0.3*tf_agreement+0.2*indicator_agreement)", prompt, StringComparison.Ordinal);
        Assert.Contains("bias=bullish", prompt, StringComparison.Ordinal);
        Assert.Contains("\n1w,2.5,", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Bars_WrittenInBasisPointsOfLastPrice()
    {
        var start = SignalTestData.Now.AddMinutes(-60);
        var bar = new SampledBar(start, 101_000_000m, 102_000_000m, 99_500_000m, 100_000_000m, 2m);
        var sample = new MarketSample(SignalTestData.Market, [], [], [bar], null);
        var analysis = SignalTestData.Analysis(tf => SignalTestData.Trending(tf, 0.01));

        var prompt = PromptBuilder.Build(sample, analysis, DecisionThresholds.Default, 105_000_000m, SignalTestData.Now);

        // close −5,000,000 of 105,000,000 = −476 bp; open +95 bp, high +190 bp, low −48 bp of the last price; volume = mean → 10.
        Assert.Contains("\n-476,95,190,-48,10\n", prompt, StringComparison.Ordinal);
        Assert.Contains("long 1h none", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MissingBuckets_MarkedAsGap()
    {
        var start = SignalTestData.Now.AddHours(-2);
        var bars = new[]
        {
            new SampledBar(start, 100m, 100m, 100m, 100m, 1m),
            new SampledBar(start.AddMinutes(15), 100m, 100m, 100m, 100m, 1m),
            new SampledBar(start.AddMinutes(60), 100m, 100m, 100m, 100m, 1m),
        };
        var sample = new MarketSample(SignalTestData.Market, [], bars, [], null);
        var analysis = SignalTestData.Analysis(tf => SignalTestData.Trending(tf, 0.01));

        var prompt = PromptBuilder.Build(sample, analysis, DecisionThresholds.Default, 100m, SignalTestData.Now);

        Assert.Contains("\n~2\n", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_PortfolioAmounts_HiddenWhilePricesStay()
    {
        var sample = SignalTestData.FullSample();
        var analysis = SignalTestData.Analysis(tf => SignalTestData.Trending(tf, 0.01));
        var prompt = PromptBuilder.Build(sample, analysis, DecisionThresholds.Default, 150_000_000m, SignalTestData.Now,
            new PortfolioSnapshot(523_456m, 0.01234567m, 148_500_000m));

        var masked = PromptRedactor.Mask(prompt);

        Assert.Contains("Position: qty=*** avg_entry=*** krw=***", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("523456", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("0.01234567", masked, StringComparison.Ordinal);
        Assert.Contains("last=150000000 KRW", masked, StringComparison.Ordinal);
        Assert.Equal(prompt.Split('\n').Length, masked.Split('\n').Length);
    }

    [Theory]
    [InlineData("balance: 1,234,567.5 KRW", "balance: *** KRW")]
    [InlineData("Amount=5000", "Amount=***")]
    [InlineData("locked = 0.5", "locked = ***")]
    [InlineData("rsi14=55.2", "rsi14=55.2")]
    public void Mask_KnownKeys_MaskedOthersUntouched(string input, string expected)
    {
        Assert.Equal(expected, PromptRedactor.Mask(input));
    }

    [Fact]
    public void EstimateTokens_IsCharsOverFour()
    {
        Assert.Equal(3, PromptBuilder.EstimateTokens(new string('x', 12)));
        Assert.Equal(4, PromptBuilder.EstimateTokens(new string('x', 13)));
    }
}
