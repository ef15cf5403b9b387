using BitcoinAutoTrading.Core;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.Health;
using BitcoinAutoTrading.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>
/// The worker creates function classes from the app's container; with the registrations Program.cs makes, every API
/// class must be constructible; the signal runner and the settings provider are constructor dependencies, not optional.
/// </summary>
public sealed class ApiCompositionTests
{
    public static TheoryData<Type> FunctionClasses =>
    [
        typeof(DetailedHealthFunction), typeof(MarketFunctions), typeof(SignalFunctions), typeof(ManualSignalFunction),
        typeof(OrderFunctions), typeof(AccountFunctions), typeof(RiskFunctions), typeof(StatsFunctions),
        typeof(TradingControlFunctions), typeof(ConfigFunctions),
    ];

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public void FunctionClass_WithAppRegistrations_IsConstructible(Type functionClass)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=unused",
            ["Trading:Market"] = "KRW-ETH",
        });
        builder.Services.AddCore();
        builder.AddInfrastructure();
        builder.AddFunctionsHost();
        using var host = builder.Build();
        using var scope = host.Services.CreateScope();

        var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, functionClass);

        Assert.IsType(functionClass, instance);
        Assert.Equal("KRW-ETH", scope.ServiceProvider.GetRequiredService<IOptions<TradingOptions>>().Value.Market);
    }
}
