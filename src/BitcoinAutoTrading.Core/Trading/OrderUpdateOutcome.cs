namespace BitcoinAutoTrading.Core.Trading;

/// <summary>What a guarded order update did. Activities run at least once, so a repeat must be told apart from a conflict.</summary>
public enum OrderUpdateOutcome
{
    /// <summary>This call changed the order.</summary>
    Applied = 1,

    /// <summary>The order already had exactly this change; nothing was written.</summary>
    AlreadyApplied = 2,

    /// <summary>The order is in a state that does not allow this change (e.g. already final with another result).</summary>
    Rejected = 3,

    NotFound = 4,
}
