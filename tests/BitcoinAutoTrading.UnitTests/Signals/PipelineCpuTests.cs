using System.Diagnostics;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Prompt;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.UnitTests.Signals;

/// <summary>P9: the CPU part of a signal run (indicators on 4 timeframes, confluence, prompt build) per run.</summary>
/// <remarks>
/// A speed check, not a behaviour check: mutation testing leaves it out (Category=Timing in stryker-config.json), so a
/// mutant it kills by being slow or throwing is never counted as pinned behaviour.
/// </remarks>
[Trait("Category", "Timing")]
public sealed class PipelineCpuTests(ITestOutputHelper output)
{
    [Fact]
    public void AnalyzeAndBuildPrompt_FullDataSet_UnderFiveMillisecondsPerRun()
    {
        var sample = SignalTestData.FullSample();
        var series = Confluence.Timeframes.Select(t => (t.Timeframe, SignalTestData.RandomWalk(t.Timeframe, (int)t.Timeframe))).ToList();
        for (var i = 0; i < 20; i++)
        {
            Run();
        }

        const int runs = 200;
        var stopwatch = Stopwatch.StartNew();
        var totalChars = 0L;
        for (var i = 0; i < runs; i++)
        {
            totalChars += Run();
        }
        stopwatch.Stop();

        var perRun = stopwatch.Elapsed.TotalMilliseconds / runs;
        output.WriteLine($"P9: {perRun:0.000} ms per run over {runs} runs ({totalChars / runs} prompt chars)");
        // The target is 5 ms; the shared 2-core test machine gets headroom so a busy neighbour does not fail the build.
        Assert.True(perRun < 5 * 2, $"{perRun:0.000} ms per run");

        int Run()
        {
            var analysis = MultiTimeframeAnalyzer.Analyze(series);
            return PromptBuilder.Build(sample, analysis, DecisionThresholds.Default, sample.Latest!.Close, SignalTestData.Now).Length;
        }
    }

}
