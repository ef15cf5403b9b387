using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.UnitTests.Exchange;

public sealed class ExchangeRegistrationTests
{
    [Fact]
    public async Task Start_LiveWithoutKeys_FailsNamingBothSettings()
    {
        using var host = Build(new() { ["Trading:Mode"] = "Live" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Upbit:AccessKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("Upbit:SecretKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_LiveWithOnlyAccessKey_FailsNamingSecretKeyWithoutLeakingAccessKey()
    {
        using var host = Build(new() { ["Trading:Mode"] = "Live", ["Upbit:AccessKey"] = "ak-visible-only-here" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Upbit:SecretKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Upbit:AccessKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ak-visible-only-here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PaperByDefaultWithoutKeys_Starts()
    {
        using var host = Build([]);

        await host.StartAsync();
        await host.StopAsync();

        Assert.NotNull(host.Services.GetRequiredService<IExchangeHealth>());
    }

    [Fact]
    public async Task Start_LiveWithKeys_Starts()
    {
        using var host = Build(new() { ["Trading:Mode"] = "live", ["Upbit:AccessKey"] = "a", ["Upbit:SecretKey"] = "s" });

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public void Build_UnknownMode_FailsWithClearMessage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Trading:Mode"] = "Demo" }));

        Assert.Contains("Trading:Mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("Paper or Live", error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        // AddPersistence registers the data source in the app; creating one opens no connection.
        builder.Services.AddSingleton(Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=unused"));
        builder.AddExchange();
        return builder.Build();
    }
}
