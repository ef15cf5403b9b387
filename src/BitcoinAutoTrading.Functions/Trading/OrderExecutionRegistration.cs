using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Functions.Trading;

public static class OrderExecutionRegistration
{
    /// <summary>
    /// The order execution of SPEC §6: the activity steps, the trade ledger (TX3), the orchestration starter and the
    /// open-order reconciler, with the <c>Orders</c> polling settings. Needs AddPersistence, AddExchange, AddNotifications.
    /// </summary>
    public static IHostApplicationBuilder AddOrderExecution(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<OrdersOptions>()
            .BindConfiguration(OrdersOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.PollInitialInterval <= o.PollMaxInterval, "Orders:PollInitialInterval must not exceed Orders:PollMaxInterval.")
            .ValidateOnStart();
        services.AddTradeLedger();
        // Transient: the steps use the exchange, whose typed HTTP clients must not be captured by a singleton.
        services.AddTransient<IOrderExecutionSteps, OrderExecutionSteps>();
        services.AddTransient<OpenOrderReconciler>();
        services.AddSingleton<DurableClientAccessor>();
        services.AddSingleton<DurableOrderStarter>();
        services.AddSingleton<IOrderStarter>(sp => sp.GetRequiredService<DurableOrderStarter>());
        services.AddDurablePayloadJson();
        return builder;
    }
}
