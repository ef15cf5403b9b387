using BitcoinAutoTrading.Core.Signals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BitcoinAutoTrading.Core.Market;

public static class MarketDataServiceCollectionExtensions
{
    /// <summary>
    /// The timer jobs' services: minute collection and purge, signal runs and their evaluation. Transient like the
    /// pipeline they use, which holds typed HTTP clients. The host binds <see cref="MarketDataOptions"/>.
    /// </summary>
    public static IServiceCollection AddTimerJobServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<MarketDataOptions>();
        services.AddTransient<MarketDataCollector>();
        services.AddTransient<MarketDataPurger>();
        services.AddTransient<ISignalRunner, SignalRunner>();
        services.AddTransient<SignalEvaluator>();
        return services;
    }
}
