using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class RiskSettingsJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);

    private static ConfigEntry Entry(string key, string json) => new(key, json, At, "test");

    [Fact]
    public void FromEntries_NothingStored_Spec51Defaults()
    {
        var read = RiskSettingsJson.FromEntries([]);

        var s = read.Settings;
        Assert.Empty(read.Ignored);
        Assert.True(s.TradingEnabled);
        Assert.Equal(
            (0.6m, 10m, 25m, 50m, 5m, 8m, 3m, 1.5m, 5m, 3m, 30, 0.30m, -0.20m, "gemini-2.5-flash"),
            (s.MinConfidence, s.PositionSizeMinPct, s.PositionSizeMaxPct, s.MaxExposurePct, s.StopLossPct, s.TakeProfitPct,
             s.TrailingStopActivationPct, s.TrailingStopDistancePct, s.DailyLossLimitPct, s.VolatilityThresholdPct,
             s.TradeCooldownMinutes, s.SignalBuyThreshold, s.SignalSellThreshold, s.AiModel));
    }

    [Fact]
    public void FromEntries_StoredValues_OverrideDefaultsOthersIgnoredSilently()
    {
        var read = RiskSettingsJson.FromEntries(
        [
            Entry("trading_enabled", "false"),
            Entry("stop_loss_pct", "7.5"),
            Entry("trade_cooldown_minutes", "45"),
            Entry("ai_model", "\"gemini-2.5-pro\""),
            Entry("some_other_feature", "{\"x\": 1}"),
        ]);

        Assert.Empty(read.Ignored);
        Assert.Equal(new RiskSettings { TradingEnabled = false, StopLossPct = 7.5m, TradeCooldownMinutes = 45, AiModel = "gemini-2.5-pro" }, read.Settings);
    }

    [Fact]
    public void FromEntries_StoredValueOutOfRange_DefaultKeptAndReported()
    {
        var read = RiskSettingsJson.FromEntries([Entry("stop_loss_pct", "60"), Entry("min_confidence", "\"high\"")]);

        Assert.Equal(new RiskSettings(), read.Settings);
        Assert.Equal(["stop_loss_pct", "min_confidence"], read.Ignored.Select(e => e.Field));
    }

    [Fact]
    public void FromEntries_MinSizeAboveMax_BothDefaults()
    {
        var read = RiskSettingsJson.FromEntries([Entry("position_size_min_pct", "40"), Entry("position_size_max_pct", "30")]);

        Assert.Equal((10m, 25m), (read.Settings.PositionSizeMinPct, read.Settings.PositionSizeMaxPct));
        Assert.Single(read.Ignored);
    }

    [Fact]
    public void ToValues_ThenApply_RoundTripsEverySetting()
    {
        var custom = new RiskSettings
        {
            TradingEnabled = false, MinConfidence = 0.65m, PositionSizeMinPct = 5m, PositionSizeMaxPct = 20m,
            MaxExposurePct = 40m, StopLossPct = 4m, TakeProfitPct = 9m, TrailingStopActivationPct = 2.5m,
            TrailingStopDistancePct = 1.25m, DailyLossLimitPct = 4m, VolatilityThresholdPct = 2.5m, TradeCooldownMinutes = 10,
            SignalBuyThreshold = 0.4m, SignalSellThreshold = -0.3m, AiModel = "gemini-2.5-pro",
        };

        var values = RiskSettingsJson.ToValues(custom);

        Assert.Equal(RiskSettingKeys.All, values.Select(v => v.Key));
        Assert.Empty(RiskSettingsValidator.Validate(values.ToDictionary()));
        Assert.Equal(custom, RiskSettingsJson.Apply(new RiskSettings(), values.ToDictionary()));
    }
}
