namespace BitcoinAutoTrading.Core.Jobs;

/// <summary>State of a timer job run; stored lower-case.</summary>
public enum JobOutcome
{
    Running = 1,
    Succeeded = 2,
    Failed = 3,
}
