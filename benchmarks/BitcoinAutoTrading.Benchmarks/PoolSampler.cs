using System.Diagnostics.Metrics;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>
/// Samples Npgsql's own pool gauge (connections in state "used", summed over pools) every 100 ms through a
/// <see cref="MeterListener"/>: the number of connections taken out of the pool at that instant.
/// </summary>
internal sealed class PoolSampler : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly MeterListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<int> _samples = [];
    private long _current;

    public PoolSampler()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Npgsql's name for it: db.client.connections.usage (older conventions) or db.client.connection.count.
            if (instrument.Meter.Name.StartsWith("Npgsql", StringComparison.Ordinal)
                && instrument.Name is "db.client.connections.usage" or "db.client.connection.count")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Add(value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Add(value, tags));
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public IReadOnlyList<int> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public int Max => Samples.DefaultIfEmpty(0).Max();

    /// <summary>The longest run of consecutive samples with a connection out of the pool, as time.</summary>
    public TimeSpan LongestHold
    {
        get
        {
            int longest = 0, run = 0;
            foreach (var sample in Samples)
            {
                run = sample > 0 ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }
            return Interval * longest;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _listener.Dispose();
        _stop.Dispose();
    }

    private void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key.EndsWith("state", StringComparison.Ordinal) && tag.Value is "used")
            {
                Interlocked.Add(ref _current, value);
            }
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Interlocked.Exchange(ref _current, 0);
                _listener.RecordObservableInstruments();
                lock (_samples)
                {
                    _samples.Add((int)Interlocked.Read(ref _current));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by DisposeAsync.
        }
    }
}
