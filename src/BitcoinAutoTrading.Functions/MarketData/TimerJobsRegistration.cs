using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Functions.MarketData;

public static class TimerJobsRegistration
{
    /// <summary>The settings the collection, purge and signal timers read; a bad value stops start-up.</summary>
    public static IHostApplicationBuilder AddTimerJobSettings(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TradingOptions>()
            .BindConfiguration(TradingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<MarketDataOptions>()
            .BindConfiguration(MarketDataOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
