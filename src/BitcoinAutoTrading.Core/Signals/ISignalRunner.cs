namespace BitcoinAutoTrading.Core.Signals;

/// <summary>One complete signal run (SPEC §2.1 GenerateSignal): pipeline → store → hand-off. Used by the timer and the admin endpoint.</summary>
public interface ISignalRunner
{
    /// <summary>Returns the stored signal's id and its execution note.</summary>
    Task<SignalRunResult> RunAsync(string market, CancellationToken cancellationToken = default);
}

public sealed record SignalRunResult(long SignalId, SignalResult Signal, string ExecutionNote)
{
    /// <summary>The stored shadow signal of the run, when a shadow ran (never traded).</summary>
    public long? ShadowSignalId { get; init; }
}
