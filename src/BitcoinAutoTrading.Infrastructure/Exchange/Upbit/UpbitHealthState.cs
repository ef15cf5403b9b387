using System.Collections.Concurrent;
using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// The process-wide record of our standing with Upbit: a 418 block (while it lasts no request is sent),
/// the last status and the last <c>Remaining-Req</c> per group. One instance per process (singleton).
/// </summary>
internal sealed class UpbitHealthState(TimeProvider timeProvider, UpbitBlockStore blocks) : IExchangeHealth
{
    private readonly ConcurrentDictionary<string, RemainingRequests> _remaining = new(StringComparer.Ordinal);
    // The server group each route was last reported under (Remaining-Req's group=…), learned from the responses.
    private readonly ConcurrentDictionary<string, string> _groupByRoute = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset? _blockedUntil;
    private int? _lastStatusCode;
    private DateTimeOffset? _lastResponseAt;
    private RemainingRequests? _lastRemaining;
    private string? _lastFailure;
    private DateTimeOffset? _lastFailureAt;

    public DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>When the current 418 block lifts, or null when calls are allowed.</summary>
    public DateTimeOffset? ActiveBlockUntil()
    {
        lock (_gate)
        {
            return _blockedUntil is { } until && until > Now ? until : null;
        }
    }

    public void Block(DateTimeOffset until)
    {
        lock (_gate)
        {
            if (_blockedUntil is null || until > _blockedUntil)
            {
                _blockedUntil = until;
            }
        }
    }

    public void RecordResponse(int statusCode, RemainingRequests? remaining, string? route = null)
    {
        lock (_gate)
        {
            _lastStatusCode = statusCode;
            _lastResponseAt = Now;
            if (remaining is not null)
            {
                _lastRemaining = remaining;
                _remaining[remaining.Group] = remaining;
                if (route is not null)
                {
                    _groupByRoute[route] = remaining.Group;
                }
            }
        }
    }

    /// <summary>An attempt that got no HTTP response at all (refused, unresolved, reset), in words for the health report.</summary>
    public void RecordFailure(string failure)
    {
        lock (_gate)
        {
            _lastFailure = failure;
            _lastFailureAt = Now;
        }
    }

    public RemainingRequests? LastRemaining(string group) => _remaining.GetValueOrDefault(group);

    /// <summary>The last budget reported for the server group a route belongs to (as the server named it, else <paramref name="expectedGroup"/>).</summary>
    public RemainingRequests? LastRemainingFor(string route, string expectedGroup) =>
        _remaining.GetValueOrDefault(_groupByRoute.GetValueOrDefault(route) ?? expectedGroup);

    /// <summary>Also sees a 418 block stored by another instance (the block is the IP's, not this process's).</summary>
    public async Task<ExchangeHealthSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (await blocks.ActiveUntilAsync(Now, cancellationToken).ConfigureAwait(false) is { } until)
            {
                Block(until);
            }
        }
        catch (System.Data.Common.DbException)
        {
            // Health reports the database separately; this instance's own view still stands.
        }
        return GetSnapshot();
    }

    public ExchangeHealthSnapshot GetSnapshot()
    {
        lock (_gate)
        {
            var now = Now;
            var blocked = _blockedUntil is { } until && until > now;
            return new ExchangeHealthSnapshot(
                blocked,
                blocked ? _blockedUntil : null,
                _lastStatusCode,
                _lastResponseAt,
                _lastRemaining,
                new Dictionary<string, RemainingRequests>(_remaining, StringComparer.Ordinal),
                _lastFailure,
                _lastFailureAt);
        }
    }
}
