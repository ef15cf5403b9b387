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
        return Median(samples);
    }

    /// <summary>
    /// Median wall times of two approaches measured alternately (A B, B A, …), so a burst of load from the other
    /// tenants of a shared machine falls on both sides alike instead of on whichever happened to run then.
    /// </summary>
    public static async Task<(double A, double B)> PairedMedianMsAsync(Func<int, Task> a, Func<int, Task> b, int warmup, int iterations)
    {
        for (var i = 0; i < warmup; i++)
        {
            await a(-1 - i).ConfigureAwait(false);
            await b(-1 - i).ConfigureAwait(false);
        }
        var samplesA = new double[iterations];
        var samplesB = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            if (i % 2 == 0)
            {
                samplesA[i] = await TimeAsync(a, i).ConfigureAwait(false);
                samplesB[i] = await TimeAsync(b, i).ConfigureAwait(false);
            }
            else
            {
                samplesB[i] = await TimeAsync(b, i).ConfigureAwait(false);
                samplesA[i] = await TimeAsync(a, i).ConfigureAwait(false);
            }
        }
        return (Median(samplesA), Median(samplesB));
    }

    /// <summary>
    /// Median wall times of several approaches measured in rotating order (A B C, B C A, …), for the same reason as
    /// <see cref="PairedMedianMsAsync"/>.
    /// </summary>
    public static async Task<double[]> InterleavedMedianMsAsync(int warmup, int iterations, params Func<int, Task>[] actions)
    {
        for (var i = 0; i < warmup; i++)
        {
            foreach (var action in actions)
            {
                await action(-1 - i).ConfigureAwait(false);
            }
        }
        var samples = actions.Select(_ => new double[iterations]).ToArray();
        for (var i = 0; i < iterations; i++)
        {
            for (var k = 0; k < actions.Length; k++)
            {
                var which = (i + k) % actions.Length;
                samples[which][i] = await TimeAsync(actions[which], i).ConfigureAwait(false);
            }
        }
        return samples.Select(Median).ToArray();
    }

    private static async Task<double> TimeAsync(Func<int, Task> action, int iteration)
    {
        var stopwatch = Stopwatch.StartNew();
        await action(iteration).ConfigureAwait(false);
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static double Median(double[] samples)
    {
        Array.Sort(samples);
        var n = samples.Length;
        return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    }
}
