using System.Diagnostics.Metrics;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// Reads the Npgsql meter's <c>db.client.connection.count</c> with state <c>used</c>: the pooled connections handed out
/// right now, summed over the live data sources (run it where no other test's pool is busy).
/// </summary>
internal sealed class PoolUsageMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _used;

    public PoolUsageMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.connection.count")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Add(value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Add(value, tags));
        _listener.Start();
    }

    /// <summary>Connections in use now, as the meter reports them.</summary>
    public long SampleUsed()
    {
        Interlocked.Exchange(ref _used, 0);
        _listener.RecordObservableInstruments();
        return Interlocked.Read(ref _used);
    }

    public void Dispose() => _listener.Dispose();

    private void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "db.client.connection.state" && Equals(tag.Value, "used"))
            {
                Interlocked.Add(ref _used, value);
            }
        }
    }
}
