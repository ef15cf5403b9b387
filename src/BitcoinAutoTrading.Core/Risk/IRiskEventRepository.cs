namespace BitcoinAutoTrading.Core.Risk;

public interface IRiskEventRepository
{
    /// <summary>Records the event and returns its id.</summary>
    Task<long> InsertAsync(NewRiskEvent riskEvent, CancellationToken cancellationToken = default);

    /// <summary>Newest first, optionally of one type. Pass the last id of a page as <paramref name="beforeId"/> for the next page.</summary>
    Task<IReadOnlyList<RiskEvent>> ListAsync(
        int limit, RiskEventType? type = null, long? beforeId = null, CancellationToken cancellationToken = default);

    /// <summary>Marks the event as sent to Slack; false when it does not exist.</summary>
    Task<bool> MarkNotifiedAsync(long id, CancellationToken cancellationToken = default);
}
