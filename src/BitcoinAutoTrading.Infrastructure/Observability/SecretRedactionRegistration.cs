using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Infrastructure.Observability;

public static class SecretRedactionRegistration
{
    /// <summary>
    /// Wraps every logger provider registered so far with <see cref="RedactingLoggerProvider"/>.
    /// Call it last in composition, after every provider (Functions worker, OpenTelemetry, console) is added.
    /// </summary>
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => SecretRedactor.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        var providers = services.Where(d => d.ServiceType == typeof(ILoggerProvider)).ToList();
        foreach (var descriptor in providers)
        {
            services.Remove(descriptor);
            services.Add(new ServiceDescriptor(typeof(ILoggerProvider), sp =>
                new RedactingLoggerProvider(CreateInner(sp, descriptor), sp.GetRequiredService<SecretRedactor>()), descriptor.Lifetime));
        }
        return services;
    }

    private static ILoggerProvider CreateInner(IServiceProvider services, ServiceDescriptor descriptor) =>
        (ILoggerProvider)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
