using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals.Calibration;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class HitRateGateTests
{
    private readonly RiskHarness _h = new();

    private void SetHitRate(int sample, int correct) =>
        _h.Signals.Setup(s => s.GetRecentHitRateAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SignalHitRate(sample, correct));

    [Fact]
    public async Task EvaluateBuyAsync_HitRateBelowMinimumOverFullSample_RefusedAsLowConfidenceWithTheRate()
    {
        _h.SetLastOrder(Now.AddMinutes(-31));
        SetHitRate(sample: 20, correct: 7);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal(RiskEventType.LowConfidence, decision.RefusedBy);
        var stored = Assert.Single(_h.StoredEvents);
        // 7 of 20 = 0.35, below the default min_hit_rate 0.40.
        Assert.Equal((0.35m, 0.40m), (stored.TriggerValue, stored.ThresholdValue));
        Assert.Contains("hit_rate", stored.DetailsJson, StringComparison.Ordinal);
        _h.Signals.Verify(s => s.GetRecentHitRateAsync(20, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task EvaluateBuyAsync_FewerEvaluatedThanSample_GateDoesNotAct()
    {
        _h.SetLastOrder(Now.AddMinutes(-31));
        SetHitRate(sample: 19, correct: 0);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.True(decision.Approved);
    }

    [Fact]
    public async Task EvaluateBuyAsync_OperatorSetsMinHitRateZero_Overrides()
    {
        _h.SetLastOrder(Now.AddMinutes(-31));
        SetHitRate(sample: 20, correct: 0);
        _h.CurrentSettings = new RiskSettings { MinHitRate = 0m };

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.True(decision.Approved);
        _h.Signals.Verify(s => s.GetRecentHitRateAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EvaluateBuyAsync_HitRateRecovered_Approved()
    {
        _h.SetLastOrder(Now.AddMinutes(-31));
        SetHitRate(sample: 20, correct: 8);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.True(decision.Approved);
    }
}
