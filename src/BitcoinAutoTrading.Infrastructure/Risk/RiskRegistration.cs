using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Infrastructure.Risk;

public static class RiskRegistration
{
    /// <summary>The cached risk settings over <c>system_config</c>; the repository comes from AddPersistence.</summary>
    public static IHostApplicationBuilder AddRisk(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHybridCache();
        // Singleton: the cache is process-wide, and invalidation must reach every reader.
        builder.Services.AddSingleton<IRiskSettingsProvider, CachedRiskSettingsProvider>();
        return builder;
    }
}
