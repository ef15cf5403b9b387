namespace BitcoinAutoTrading.Core.Signals;

/// <summary>Which provider produced a signal; stored as gemini/technical.</summary>
public enum SignalProviderKind
{
    Gemini = 1,
    Technical = 2,
}
