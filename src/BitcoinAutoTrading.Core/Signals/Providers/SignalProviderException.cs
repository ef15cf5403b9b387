namespace BitcoinAutoTrading.Core.Signals.Providers;

/// <summary>
/// A provider could not give a usable answer (unreachable, refused, blocked, malformed output). Never trades:
/// the pipeline falls back to the technical provider and records this message. <see cref="Usage"/> keeps the tokens
/// already spent so the cost is still accounted for.
/// </summary>
public sealed class SignalProviderException : Exception
{
    public SignalProviderException(string message, ProviderUsage? usage = null, Exception? inner = null)
        : base(message, inner)
    {
        Usage = usage ?? ProviderUsage.None;
    }

    public ProviderUsage Usage { get; }
}
