using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Budget;
using BitcoinAutoTrading.Core.Signals.Calibration;
using BitcoinAutoTrading.Core.Signals.Providers;
using BitcoinAutoTrading.Core.Signals.Sampling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.EndToEnd;

/// <summary>
/// Issue #16's measurement: how well the technical provider's confidence is calibrated over the end-to-end scenario's
/// market (rise, crash, recovery). A signal every 30 minutes from the scenario's candles as of that minute, judged at
/// 4 h and 24 h against the scenario's closes with the evaluator's own rule. Prints the reliability table.
/// </summary>
public sealed class ScenarioCalibrationTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TechnicalProvider_ScenarioMarket_CalibrationMeasured()
    {
        var market = new ScenarioMarket(Start);
        var clock = new FakeTimeProvider(Start);
        var exchange = new Mock<IExchange>();
        exchange.Setup(e => e.GetCandlesAsync(ScenarioMarket.Market, It.IsAny<CandleInterval>(), It.IsAny<int>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, CandleInterval interval, int _, DateTimeOffset? _, CancellationToken _) => market.CandlesAsOf(interval, clock.GetUtcNow()).ToList());
        var sampler = new Mock<IMarketSampler>();
        sampler.Setup(s => s.SampleAsync(ScenarioMarket.Market, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string m, DateTimeOffset at, CancellationToken _) =>
            {
                var minute = (int)(at - Start).TotalMinutes;
                return new MarketSample(m, [], [], [], new LatestMinute(minute + 1, at, ScenarioMarket.Close(minute - 1)));
            });
        var pipeline = new SignalPipeline(sampler.Object, new MultiTimeframeAnalyzer(exchange.Object), [new TechnicalSignalProvider()],
            new AiBudgetGuard(Mock.Of<IAiSpendRepository>(), AiPricing.Default, clock), clock, NullLogger<SignalPipeline>.Instance);

        var samples = new List<CalibrationSample>();
        for (var minute = 30; minute <= ScenarioMarket.RecoveryEnd - 240; minute += 30)
        {
            clock.SetUtcNow(Start.AddMinutes(minute));
            var result = await pipeline.RunAsync(new SignalRequest(ScenarioMarket.Market));
            var type = SignalRunner.ToSignalType(result.Action);
            bool? Outcome(int hours) => minute + hours * 60 > ScenarioMarket.RecoveryEnd
                ? null
                : SignalEvaluator.IsCorrect(type, SignalEvaluator.ChangePct(result.LastPrice, ScenarioMarket.Close(minute + hours * 60 - 1)));
            samples.Add(new CalibrationSample(SignalProviderKind.Technical, null, false, false, result.Confidence, Outcome(4), Outcome(24)));
        }

        var technical = Assert.Single(SignalCalibration.Compute(samples));
        foreach (var (name, horizon) in new[] { ("4 h", technical.FourHours), ("24 h", technical.TwentyFourHours) })
        {
            output.WriteLine($"technical {name}: n={horizon.Evaluated} Brier={horizon.BrierScore} hit rate={horizon.HitRate} mean confidence={horizon.MeanConfidence}");
            foreach (var band in horizon.Bands.Where(b => b.Count > 0))
            {
                output.WriteLine($"  {band.From:0.0}-{band.To:0.0}: n={band.Count} mean confidence={band.MeanConfidence} hit rate={band.HitRate}");
            }
        }
        Assert.Equal(samples.Count, technical.FourHours.Evaluated);
        Assert.InRange(technical.FourHours.BrierScore!.Value, 0m, 1m);
    }
}
