namespace BitcoinAutoTrading.Core.Signals.Providers;

/// <summary>The stored <c>provider</c> values.</summary>
public static class SignalProviderNames
{
    public const string Gemini = "gemini";
    public const string Technical = "technical";
}
