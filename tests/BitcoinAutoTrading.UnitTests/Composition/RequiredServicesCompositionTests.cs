using System.Reflection;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.UnitTests.Composition;

/// <summary>
/// Stands in for the Functions worker, which creates each function class from the container per invocation
/// (ActivatorUtilities). Every service a trade depends on is a constructor dependency, so composing the app without
/// one fails here, in CI, instead of a stop-loss or a signal silently never trading at run time.
/// Building the container opens no connection, so this needs no database.
/// </summary>
public sealed class RequiredServicesCompositionTests
{
    public static TheoryData<Type> TradeCriticalServices =>
    [
        typeof(IProtectiveExitMonitor), typeof(ISignalExecutor), typeof(IRiskSettingsProvider), typeof(ISignalRunner),
        typeof(IOrderStarter), typeof(IDailyLossGuard),
    ];

    [Fact]
    public void ComposeApp_EveryFunctionClass_IsConstructible()
    {
        using var host = Compose(remove: null);
        using var scope = host.Services.CreateScope();

        foreach (var functionClass in FunctionClasses())
        {
            Assert.IsType(functionClass, ActivatorUtilities.CreateInstance(scope.ServiceProvider, functionClass));
        }
    }

    [Theory]
    [MemberData(nameof(TradeCriticalServices))]
    public void ComposeApp_TradeCriticalServiceMissing_SomeFunctionClassFailsNamingIt(Type service)
    {
        using var host = Compose(remove: service);
        using var scope = host.Services.CreateScope();

        var failures = FunctionClasses()
            .Select(type => Record.Exception(() => ActivatorUtilities.CreateInstance(scope.ServiceProvider, type)))
            .OfType<InvalidOperationException>()
            .ToList();

        Assert.Contains(failures, e => e.Message.Contains(service.FullName!, StringComparison.Ordinal));
    }

    /// <summary>Every class of the Functions assembly with an instance method the worker binds as a function.</summary>
    private static List<Type> FunctionClasses()
    {
        var classes = typeof(AppComposition).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false }
                && t.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToList();
        // Guards the reflection itself: an empty list would make every assertion above pass for nothing.
        Assert.True(classes.Count >= 10, $"found only {classes.Count} function classes");
        return classes;
    }

    private static IHost Compose(Type? remove)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=unused" });
        builder.ComposeApp();
        if (remove is not null)
        {
            Assert.True(builder.Services.Any(d => d.ServiceType == remove), $"{remove.Name} is not registered at all");
            builder.Services.RemoveAll(remove);
        }
        return builder.Build();
    }
}
