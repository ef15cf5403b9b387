using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using Microsoft.Extensions.DependencyInjection;

namespace BitcoinAutoTrading.Core;

public static class DependencyInjection
{
    /// <summary>Registers Core's services: domain logic that needs no I/O of its own.</summary>
    public static IServiceCollection AddCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSignals();
        services.AddRisk();
        services.AddTimerJobServices();
        return services;
    }
}
