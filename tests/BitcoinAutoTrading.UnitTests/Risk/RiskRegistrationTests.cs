using BitcoinAutoTrading.Core;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Infrastructure;
using BitcoinAutoTrading.Infrastructure.Risk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class RiskRegistrationTests
{
    [Fact]
    public void AddCoreAndInfrastructure_RiskServicesResolveAndSettingsComeFromTheSnapshotProvider()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // Resolving builds the data source but never opens a connection.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=unused" });
        builder.Services.AddCore();
        builder.AddInfrastructure();
        using var host = builder.Build();

        var provider = host.Services.GetRequiredService<IRiskSettingsProvider>();

        // The per-run snapshot provider: it keeps nothing between runs, so no instance can act on settings another changed.
        Assert.IsType<RiskSettingsSnapshotProvider>(provider);
        Assert.Same(provider, host.Services.GetRequiredService<IRiskSettingsProvider>());
        Assert.IsType<DailyLossGuard>(host.Services.GetRequiredService<IDailyLossGuard>());
        Assert.NotNull(host.Services.GetRequiredService<EntryRiskEvaluator>());
        Assert.NotNull(host.Services.GetRequiredService<DailyStatsRoller>());
    }
}
