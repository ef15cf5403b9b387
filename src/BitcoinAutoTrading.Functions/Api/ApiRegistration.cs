using BitcoinAutoTrading.Functions.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Functions.Api;

public static class ApiRegistration
{
    /// <summary>
    /// What the HTTP API and the detailed health check need beyond the repositories and the exchange. The signal runner,
    /// risk settings provider and validator are optional here: routes that need a missing one answer 503.
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
