using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.MarketData;
using BitcoinAutoTrading.Functions.Observability;
using BitcoinAutoTrading.Functions.Trading;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Functions;

public static class DependencyInjection
{
    /// <summary>Registers what only the Functions host needs: trigger-side services and start-up work.</summary>
    public static IHostApplicationBuilder AddFunctionsHost(this IHostApplicationBuilder builder)
    {
        builder.AddObservability();
        builder.AddTimerJobSettings();
        builder.AddApi();
        builder.AddOrderExecution();
        return builder;
    }
}
