namespace BitcoinAutoTrading.Core.Signals.Providers;

/// <summary>
/// A provider could not give a usable answer (unreachable, refused, blocked, malformed output). Never trades:
/// the pipeline falls back to the technical provider and records this message. <see cref="Usage"/> keeps the tokens
/// already spent so the cost is still accounted for.
/// </summary>
public sealed class SignalProviderException : Exception
{
    public SignalProviderException(string message, ProviderUsage? usage = null, Exception? inner = null)
        : this(message, usage, inner, dailyQuotaExhausted: false)
    {
    }

    public SignalProviderException(string message, ProviderUsage? usage, Exception? inner, bool dailyQuotaExhausted, ProviderProvenance? provenance = null)
        : base(message, inner)
    {
        Usage = usage ?? ProviderUsage.None;
        DailyQuotaExhausted = dailyQuotaExhausted;
        Provenance = provenance;
    }

    public ProviderUsage Usage { get; }

    /// <summary>The provider refused because a per-day quota is used up: no call will succeed before the day ends.</summary>
    public bool DailyQuotaExhausted { get; }

    /// <summary>The raw answer, when there was one (a malformed answer is kept so it can be inspected).</summary>
    public ProviderProvenance? Provenance { get; }
}
