using BitcoinAutoTrading.Functions.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Functions.Api;

public static class ApiRegistration
{
    /// <summary>
    /// What the HTTP API and the detailed health check need beyond the repositories, the exchange, the signal runner and
    /// the risk settings provider, which the function classes take by constructor (a missing one fails composition).
    /// </summary>
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ManualSignalCooldown>();
        builder.Services.AddOptions<HealthCheckOptions>()
            .BindConfiguration(HealthCheckOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddTransient<HealthProbes>();
        builder.Services.AddTransient<DetailedHealthChecker>();
        return builder;
    }
}
