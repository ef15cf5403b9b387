using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BitcoinAutoTrading.Core.Risk;

public static class RiskServiceCollectionExtensions
{
    /// <summary>Risk rules, exits, the daily roll and the signal hand-off; Infrastructure adds the settings cache.</summary>
    public static IServiceCollection AddRisk(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Transient like the exchange they read through: nothing here may capture a typed HTTP client.
        services.AddTransient<PortfolioValuation>();
        services.AddTransient<RiskEventRecorder>();
        services.AddTransient<IDailyLossGuard, DailyLossGuard>();
        // The entry checks read the signals' recent hit rate (issue #16); Infrastructure adds the signal repository.
        services.TryAddTransient<Signals.Calibration.HitRateGate>();
        services.AddTransient<EntryRiskEvaluator>();
        services.AddTransient<IProtectiveExitMonitor, ProtectiveExitMonitor>();
        services.AddTransient<DailyStatsRoller>();
        services.AddTransient<ISignalExecutor, SignalExecutor>();
        return services;
    }
}
