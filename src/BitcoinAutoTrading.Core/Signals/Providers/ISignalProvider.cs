namespace BitcoinAutoTrading.Core.Signals.Providers;

/// <summary>A source of action scores: <c>technical</c> (deterministic, always available) or a model such as <c>gemini</c>.</summary>
public interface ISignalProvider
{
    /// <summary>The stored provider name (<see cref="SignalProviderNames"/>).</summary>
    string Name { get; }

    /// <summary>False when the provider lacks what it needs to run (e.g. no API key); the pipeline then skips it.</summary>
    bool IsConfigured { get; }

    /// <summary>Throws <see cref="SignalProviderException"/> when no usable answer could be had.</summary>
    Task<ProviderSignal> GetSignalAsync(SignalContext context, CancellationToken cancellationToken = default);
}
