using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Functions.MarketData;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.IntegrationTests.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.IntegrationTests.MarketData;

/// <summary>The four timer functions as the host binds them, and their services as the app composes them.</summary>
public sealed class TimerFunctionsCompositionTests
{
    [Theory]
    [InlineData("CollectMarketData", "%MarketDataSchedule%")]
    [InlineData("PurgeMarketData", "%PurgeMarketDataSchedule%")]
    [InlineData("GenerateSignal", "%SignalSchedule%")]
    [InlineData("EvaluateSignals", "%EvaluateSignalsSchedule%")]
    public void TimerFunction_Metadata_ScheduleFromAppSettingAndNoRunOnStartup(string name, string schedule)
    {
        var function = FunctionsMetadataTests.LoadFunctions().Single(f => f.GetProperty("name").GetString() == name);
        var trigger = FunctionsMetadataTests.Trigger(function);

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(schedule, trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.GetBoolean());
    }

    [Fact]
    public void Compose_AppComposition_TimerServicesResolve()
    {
        using var host = BuildHost([]);

        Assert.NotNull(host.Services.GetRequiredService<MarketDataCollector>());
        Assert.NotNull(host.Services.GetRequiredService<MarketDataPurger>());
        Assert.IsType<SignalRunner>(host.Services.GetRequiredService<ISignalRunner>());
        Assert.NotNull(host.Services.GetRequiredService<SignalEvaluator>());
        Assert.Equal(365, host.Services.GetRequiredService<IOptions<MarketDataOptions>>().Value.RetentionDays);
        Assert.Equal(1826, host.Services.GetRequiredService<IOptions<MarketDataOptions>>().Value.HourlyBarRetentionDays);
    }

    [Theory]
    [InlineData("MarketData:BackfillLimit", "500", "BackfillLimit")]
    [InlineData("MarketData:RetentionDays", "0", "RetentionDays")]
    [InlineData("MarketData:HourlyBarRetentionDays", "364", "HourlyBarRetentionDays")]
    [InlineData("MarketData:HourlyBarRetentionDays", "0", "HourlyBarRetentionDays")]
    [InlineData("Trading:Market", "btc", "Market")]
    public async Task Start_WithInvalidTimerSetting_FailsNamingIt(string key, string value, string expected)
    {
        using var host = BuildHost(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        settings["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=unused";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ComposeApp();
        return builder.Build();
    }
}
