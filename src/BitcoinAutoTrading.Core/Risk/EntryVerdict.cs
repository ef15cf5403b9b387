namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// A refusal as <see cref="EntryRules"/> decided it: the rule, the value that tripped it, the threshold, what was
/// refused (<c>entry refused</c>, <c>signal sell refused</c>), details worth storing with the risk event, and which of the
/// rules sharing a type refused (the hit-rate gate or the confidence floor; missing data, the range or a stale ticker).
/// </summary>
public sealed record EntryRefusal(RiskEventType Type, decimal Trigger, decimal Threshold, string Action, object? Details, string? Reason = null);

/// <summary><see cref="EntryRules"/>' answer: the decision, and the refusal to record when it is one.</summary>
public sealed record EntryVerdict(EntryDecision Decision, EntryRefusal? Refusal)
{
    public static EntryVerdict Approve(EntryDecision decision) => new(decision, null);

    public static EntryVerdict Skip(string why) => new(EntryDecision.Skipped(why), null);

    public static EntryVerdict Refuse(
        RiskEventType type, decimal trigger, decimal threshold, string action, object? details = null, string? reason = null) =>
        new(EntryDecision.Refused(type), new EntryRefusal(type, trigger, threshold, action, details, reason));
}
