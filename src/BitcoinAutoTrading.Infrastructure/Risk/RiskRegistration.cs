using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Infrastructure.Risk;

public static class RiskRegistration
{
    /// <summary>The per-run settings snapshot over <c>system_config</c>; the repository comes from AddPersistence.</summary>
    public static IHostApplicationBuilder AddRisk(this IHostApplicationBuilder builder)
    {
        // Singleton: it holds nothing itself; each run's snapshot lives in the run (RiskSettingsRun).
        builder.Services.AddSingleton<IRiskSettingsProvider, RiskSettingsSnapshotProvider>();
        return builder;
    }
}
