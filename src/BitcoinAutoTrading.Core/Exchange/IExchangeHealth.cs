namespace BitcoinAutoTrading.Core.Exchange;

/// <summary>
/// What the exchange adapter last learned about its standing with the exchange, for health checks:
/// a 418 block, the last HTTP status and the last rate-limit budget the exchange reported.
/// </summary>
public interface IExchangeHealth
{
    /// <summary>What this instance has seen.</summary>
    ExchangeHealthSnapshot GetSnapshot();

    /// <summary>As <see cref="GetSnapshot"/>, plus a block stored by any instance (a 418 blocks the IP, so every instance).</summary>
    Task<ExchangeHealthSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default);
}

/// <summary>The exchange's own count of requests left in a rate-limit group (Upbit's <c>Remaining-Req</c> header).</summary>
public sealed record RemainingRequests(string Group, int? PerMinute, int PerSecond, DateTimeOffset ObservedAt);

public sealed record ExchangeHealthSnapshot(
    bool IsBlocked,
    DateTimeOffset? BlockedUntil,
    int? LastStatusCode,
    DateTimeOffset? LastResponseAt,
    RemainingRequests? LastRemainingRequests,
    IReadOnlyDictionary<string, RemainingRequests> RemainingRequestsByGroup,
    string? LastFailure = null,
    DateTimeOffset? LastFailureAt = null);
