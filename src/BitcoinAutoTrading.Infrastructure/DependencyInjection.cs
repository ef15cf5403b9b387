using BitcoinAutoTrading.Infrastructure.Ai.Gemini;
using BitcoinAutoTrading.Infrastructure.Exchange;
using BitcoinAutoTrading.Infrastructure.Jobs;
using BitcoinAutoTrading.Infrastructure.Notifications;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.Infrastructure.Risk;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Registers the adapters behind Core's interfaces: PostgreSQL, exchanges, AI, notifications.</summary>
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder)
    {
        builder.AddPersistence();
        builder.AddGemini();
        builder.AddExchange();
        builder.AddNotifications();
        builder.AddJobs();
        builder.AddRisk();
        return builder;
    }
}
