using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.DependencyInjection;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

public static class TradeLedgerRegistration
{
    /// <summary>Registers <see cref="ITradeLedger"/> (TX3 over orders, positions and daily stats); needs AddPersistence.</summary>
    public static IServiceCollection AddTradeLedger(this IServiceCollection services)
    {
        services.AddSingleton<ITradeLedger, TradeLedger>();
        return services;
    }
}
