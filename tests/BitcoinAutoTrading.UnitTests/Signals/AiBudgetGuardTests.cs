using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Budget;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.UnitTests.Signals;

public sealed class AiBudgetGuardTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private readonly Mock<IAiSpendRepository> _repository = TestBudget.Empty();
    private readonly FakeTimeProvider _clock = new(Now);

    [Fact]
    public async Task CheckAsync_BudgetZero_DeniedAsNoAi()
    {
        var permit = await Guard().CheckAsync("gemini-2.5-flash", 0m);

        Assert.False(permit.Allowed);
        Assert.Contains("ai_daily_budget_usd is 0", permit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_SpendReachedBudget_DeniedWithTheSpend()
    {
        // 1M input × $0.30 + (250k output + 50k thinking) × $2.50 = 0.30 + 0.75 = $1.05 today.
        Spend(new AiModelSpend("gemini-2.5-flash", 1_000_000, 250_000, 50_000));

        var permit = await Guard().CheckAsync("gemini-2.5-flash", 1.00m);

        Assert.False(permit.Allowed);
        Assert.Equal(1.05m, permit.SpentTodayUsd);
        Assert.Contains("daily AI budget spent: $1.05 of $1 today", permit.Reason, StringComparison.Ordinal);
        _repository.Verify(r => r.GetSpendAsync(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task CheckAsync_UnderBudget_Allowed()
    {
        Spend(new AiModelSpend("gemini-2.5-flash", 100_000, 10_000, 10_000));

        var permit = await Guard().CheckAsync("gemini-2.5-flash", 1.00m);

        Assert.True(permit.Allowed);
        Assert.Equal(0.08m, permit.SpentTodayUsd);
    }

    [Fact]
    public async Task CheckAsync_UnpricedModel_DeniedNeverCountedAsFree()
    {
        var permit = await Guard().CheckAsync("gemini-9-ultra", 1.00m);

        Assert.False(permit.Allowed);
        Assert.Contains("price of gemini-9-ultra is unknown", permit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_QuotaBlocked_DeniedUntilTheBlockEnds()
    {
        _repository.Setup(r => r.GetQuotaBlockAsync("gemini", "gemini-2.5-flash", Now, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AiQuotaBlock("gemini", "gemini-2.5-flash", Now.Date.AddDays(1), "429"));

        var permit = await Guard().CheckAsync("gemini-2.5-flash", 1.00m);

        Assert.False(permit.Allowed);
        Assert.Contains("per-day quota of gemini-2.5-flash exhausted until 2026-03-11T00:00:00Z", permit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockForTodayAsync_Any_BlocksUntilTheUtcDayEnds()
    {
        await Guard().BlockForTodayAsync("gemini-2.5-flash", "429 per-day");

        _repository.Verify(r => r.SetQuotaBlockAsync(
            new AiQuotaBlock("gemini", "gemini-2.5-flash", new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), "429 per-day"),
            It.IsAny<CancellationToken>()));
    }

    [Fact]
    public void AiPriceTable_ModelSpelledAsAnAzureAppSettingCan_MatchesTheModelId()
    {
        // App Service allows only letters, digits, '.' and '_' in a setting name, and Linux turns '.' into '_':
        // Gemini__Prices__gemini_2_5_flash__InputPerMillion is the only way to price gemini-2.5-flash there.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gemini:Prices:gemini_2_5_flash:InputPerMillion"] = "0.5",
            ["Gemini:Prices:GEMINI_3_1_PRO:InputPerMillion"] = "2",
            ["Gemini:Prices:GEMINI_3_1_PRO:OutputPerMillion"] = "12",
        }).Build();
        var options = configuration.GetSection(AiPricingOptions.Section).Get<AiPricingOptions>()!;

        var table = new AiPriceTable(Options.Create(options));

        Assert.Equal(3.0m, table.EstimateUsd("gemini-2.5-flash", 1_000_000, 500_000, 500_000));
        Assert.Equal("gemini-2.5-flash", table.Find("gemini-2.5-flash")!.Model);
        Assert.Equal(14m, table.EstimateUsd("gemini-3.1-pro", 1_000_000, 1_000_000, 0));
        Assert.Single(table.Models, m => AiPriceTable.SettingKey(m.Model) == "gemini_2_5_flash");
        Assert.Equal("gemini_3_1_pro", AiPriceTable.SettingKey("Gemini-3.1-Pro"));
    }

    [Fact]
    public void AiPriceTable_Configured_OverridesDefaultsAndUnknownStaysNull()
    {
        var options = new AiPricingOptions();
        options.Prices["gemini-2.5-flash"] = new AiModelPriceOptions { InputPerMillion = 0.5m };
        options.Prices["my-tuned-model"] = new AiModelPriceOptions { InputPerMillion = 1m, OutputPerMillion = 2m };
        options.Prices["half-priced-model"] = new AiModelPriceOptions { InputPerMillion = 1m };

        var table = new AiPriceTable(Options.Create(options));

        // Input overridden, output kept from the default: 1M × 0.5 + 1M × 2.5.
        Assert.Equal(3.0m, table.EstimateUsd("gemini-2.5-flash", 1_000_000, 500_000, 500_000));
        Assert.Equal(3.0m, table.EstimateUsd("my-tuned-model", 1_000_000, 1_000_000, 0));
        Assert.Null(table.EstimateUsd("half-priced-model", 1, 1, 0));
        Assert.Equal(0.5m, table.EstimateUsd("gemini-2.5-flash-lite", 1_000_000, 1_000_000, 0));
        Assert.Equal(11.25m, table.EstimateUsd("gemini-2.5-pro", 1_000_000, 1_000_000, 0));
        Assert.Equal(3.5m, table.EstimateUsd("gemini-3-flash-preview", 1_000_000, 1_000_000, 0));
        Assert.Null(table.EstimateUsd("gemini-9-ultra", 1, 1, 1));
    }

    private void Spend(params AiModelSpend[] rows) =>
        _repository.Setup(r => r.GetSpendAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(rows);

    private AiBudgetGuard Guard() => new(_repository.Object, AiPricing.Default, _clock);
}
