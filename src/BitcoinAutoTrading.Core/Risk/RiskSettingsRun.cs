namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// One job run's view of the settings (SPEC §5.1): however many components ask during the run, they all get the same
/// snapshot, read from the database at most once. The run is ambient (it flows with the async calls of the run), so
/// the job and the deepest rule need not pass it along every signature in between. Outside a run every ask reads
/// afresh, which is never stale; the app opens a run per timer job and per HTTP request.
/// </summary>
public sealed class RiskSettingsRun
{
    private static readonly AsyncLocal<RiskSettingsRun?> Ambient = new();

    private readonly Lock _gate = new();
    private Task<RiskSettings>? _snapshot;

    private RiskSettingsRun()
    {
    }

    /// <summary>The run the caller is part of, if any.</summary>
    public static RiskSettingsRun? Current => Ambient.Value;

    /// <summary>
    /// Opens a run for the caller and everything it awaits, until disposed. Inside a run already open (a manual signal
    /// run inside an HTTP request) it joins that run, so the outer run keeps its one snapshot.
    /// </summary>
    public static IDisposable Begin()
    {
        if (Ambient.Value is not null)
        {
            return Joined.Instance;
        }
        var run = new RiskSettingsRun();
        Ambient.Value = run;
        return new Opened(run);
    }

    /// <summary>
    /// The run's snapshot, loaded by <paramref name="load"/> on the first ask; concurrent asks share that one load.
    /// A load that failed is not kept, so a retry inside the run reads again. <paramref name="fromSnapshot"/> tells
    /// whether the answer came from an earlier load (for the cache metric).
    /// </summary>
    public Task<RiskSettings> GetOrLoad(Func<Task<RiskSettings>> load, out bool fromSnapshot)
    {
        ArgumentNullException.ThrowIfNull(load);
        lock (_gate)
        {
            fromSnapshot = _snapshot is { IsFaulted: false, IsCanceled: false };
            if (!fromSnapshot)
            {
                _snapshot = load();
            }
            return _snapshot!;
        }
    }

    /// <summary>Drops the snapshot after this run changed the settings, so its later asks see the change.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _snapshot = null;
        }
    }

    private sealed class Opened(RiskSettingsRun run) : IDisposable
    {
        public void Dispose()
        {
            if (ReferenceEquals(Ambient.Value, run))
            {
                Ambient.Value = null;
            }
        }
    }

    private sealed class Joined : IDisposable
    {
        public static readonly Joined Instance = new();

        public void Dispose()
        {
        }
    }
}
