using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Budget;
using BitcoinAutoTrading.Core.Signals.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Core.Signals;

public static class SignalsServiceCollectionExtensions
{
    /// <summary>The signal pipeline and the technical provider; Infrastructure adds the sampler and model providers.</summary>
    public static IServiceCollection AddSignals(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddTransient<MultiTimeframeAnalyzer>();
        services.AddTransient<ISignalProvider, TechnicalSignalProvider>();
        // Transient: the pipeline uses typed HTTP clients and the exchange, which must not be captured by a singleton.
        services.AddTransient<SignalPipeline>();
        // Prices: defaults in Core, Gemini:Prices:{model} over them (bound by Infrastructure).
        services.AddOptions<AiPricingOptions>();
        services.TryAddSingleton(sp => new AiPriceTable(sp.GetRequiredService<IOptions<AiPricingOptions>>()));
        services.AddTransient<AiBudgetGuard>();
        services.TryAddTransient<Calibration.HitRateGate>();
        services.AddTransient<Calibration.SignalQualityMonitor>();
        return services;
    }
}
