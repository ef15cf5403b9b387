namespace BitcoinAutoTrading.Core.Signals.Budget;

/// <summary>Tokens one model spent in a window (primary, shadow and fallback rows alike: each was a paid call).</summary>
public sealed record AiModelSpend(string Model, long InputTokens, long OutputTokens, long ThinkingTokens);

/// <summary>No calls to <see cref="Model"/> of <see cref="Provider"/> before <see cref="BlockedUntil"/> (a per-day quota error).</summary>
public sealed record AiQuotaBlock(string Provider, string Model, DateTimeOffset BlockedUntil, string Reason);

/// <summary>What the spend cap reads and the quota state it keeps; stored, so every instance sees the same state.</summary>
public interface IAiSpendRepository
{
    /// <summary>Token sums per model of the signals created in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    Task<IReadOnlyList<AiModelSpend>> GetSpendAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The block in force at <paramref name="now"/>, if any.</summary>
    Task<AiQuotaBlock?> GetQuotaBlockAsync(string provider, string model, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Stores the block; of two blocks for one model the later end wins.</summary>
    Task SetQuotaBlockAsync(AiQuotaBlock block, CancellationToken cancellationToken = default);
}
