using System.Diagnostics;

namespace BitcoinAutoTrading.Benchmarks;

internal static class Timing
{
    /// <summary>Median wall time in milliseconds after warm-up runs (JIT, plan cache, connection pool).</summary>
    public static async Task<double> MedianMsAsync(Func<int, Task> action, int warmup, int iterations)
    {
        for (var i = 0; i < warmup; i++)
        {
            await action(-1 - i).ConfigureAwait(false);
        }
        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await action(i).ConfigureAwait(false);
            samples[i] = stopwatch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        return iterations % 2 == 1 ? samples[iterations / 2] : (samples[iterations / 2 - 1] + samples[iterations / 2]) / 2;
    }
}
