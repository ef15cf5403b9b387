using System.Collections.Concurrent;
using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// The process-wide record of our standing with Upbit: a 418 block (while it lasts no request is sent),
/// the last status and the last <c>Remaining-Req</c> per group. One instance per process (singleton).
/// </summary>
internal sealed class UpbitHealthState(TimeProvider timeProvider) : IExchangeHealth
{
    private readonly ConcurrentDictionary<string, RemainingRequests> _remaining = new(StringComparer.Ordinal);
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

    public void RecordResponse(int statusCode, RemainingRequests? remaining)
    {
        lock (_gate)
        {
            _lastStatusCode = statusCode;
            _lastResponseAt = Now;
            if (remaining is not null)
            {
                _lastRemaining = remaining;
                _remaining[remaining.Group] = remaining;
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
