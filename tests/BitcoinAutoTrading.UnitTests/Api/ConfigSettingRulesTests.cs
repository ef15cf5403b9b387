using System.Text.Json;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Functions.Api;

namespace BitcoinAutoTrading.UnitTests.Api;

public sealed class ConfigSettingRulesTests
{
    private static bool Normalize(string key, string json, out string normalized)
    {
        using var document = JsonDocument.Parse(json);
        return ConfigSettingRules.TryNormalize(ConfigSettingRules.Find(key)!, document.RootElement, out normalized, out _);
    }

    [Fact]
    public void All_CoversEverySpecSetting_WithRiskSettingsDefaults()
    {
        Assert.Equal(
            [
                "trading_enabled", "min_confidence", "position_size_min_pct", "position_size_max_pct", "max_exposure_pct",
                "stop_loss_pct", "take_profit_pct", "trailing_stop_activation_pct", "trailing_stop_distance_pct",
                "daily_loss_limit_pct", "volatility_threshold_pct", "trade_cooldown_minutes", "signal_buy_threshold",
                "signal_sell_threshold", "ai_model", "min_hit_rate", "hit_rate_sample_size", "ai_daily_budget_usd", "ai_shadow_model",
            ],
            ConfigSettingRules.All.Select(r => r.Key));
        Assert.Equal("0.6", ConfigSettingRules.Find("min_confidence")!.DefaultJson);
        Assert.Equal("-0.20", ConfigSettingRules.Find("signal_sell_threshold")!.DefaultJson);
        Assert.Equal("\"gemini-2.5-flash\"", ConfigSettingRules.Find("ai_model")!.DefaultJson);
        Assert.Equal("1.00", ConfigSettingRules.Find("ai_daily_budget_usd")!.DefaultJson);
        Assert.Equal("\"none\"", ConfigSettingRules.Find("ai_shadow_model")!.DefaultJson);
        Assert.Equal((0m, 1000m), (ConfigSettingRules.Find("ai_daily_budget_usd")!.Min, ConfigSettingRules.Find("ai_daily_budget_usd")!.Max));
    }

    [Fact]
    public void All_EveryDefault_IsWithinItsOwnRange()
    {
        foreach (var rule in ConfigSettingRules.All)
        {
            Assert.True(Normalize(rule.Key, rule.DefaultJson, out _), rule.Key);
        }
    }

    [Theory]
    [InlineData("stop_loss_pct", "1", true)]
    [InlineData("stop_loss_pct", "20", true)]
    [InlineData("stop_loss_pct", "0.99", false)]
    [InlineData("stop_loss_pct", "20.01", false)]
    [InlineData("min_confidence", "0", true)]
    [InlineData("min_confidence", "1", true)]
    [InlineData("min_confidence", "1.0001", false)]
    [InlineData("position_size_min_pct", "1", true)]
    [InlineData("position_size_max_pct", "100", true)]
    [InlineData("position_size_max_pct", "100.5", false)]
    [InlineData("trade_cooldown_minutes", "30.0", true)]
    [InlineData("trade_cooldown_minutes", "30.5", false)]
    [InlineData("signal_sell_threshold", "-0.2", true)]
    [InlineData("signal_sell_threshold", "0", false)]
    [InlineData("signal_buy_threshold", "0", false)]
    [InlineData("trading_enabled", "false", true)]
    [InlineData("trading_enabled", "\"false\"", false)]
    [InlineData("ai_model", "\"gemini-2.5-pro\"", true)]
    [InlineData("ai_model", "\"../etc\"", false)]
    [InlineData("max_exposure_pct", "\"50\"", false)]
    public void TryNormalize_ChecksTypeAndRange(string key, string json, bool valid)
    {
        Assert.Equal(valid, Normalize(key, json, out _));
    }

    [Fact]
    public void TryNormalize_IntegerWrittenWithFraction_IsStoredAsInteger()
    {
        Assert.True(Normalize("trade_cooldown_minutes", "45.00", out var normalized));
        Assert.Equal("45", normalized);
    }

    [Fact]
    public void ToSettings_StoredValuesOverDefaults_IgnoresInvalidStoredValues()
    {
        var now = DateTimeOffset.UnixEpoch;
        var settings = ConfigSettingRules.ToSettings(
        [
            new ConfigEntry("min_confidence", "0.75", now, null),
            new ConfigEntry("stop_loss_pct", "99", now, null),
            new ConfigEntry("trading_enabled", "false", now, null),
            new ConfigEntry("manual_signal_last_run", "\"2026-01-01T00:00:00Z\"", now, null),
        ]);

        Assert.Equal(0.75m, settings.MinConfidence);
        Assert.Equal(5m, settings.StopLossPct);
        Assert.False(settings.TradingEnabled);
    }

    [Fact]
    public void CrossFieldErrors_MinAboveMax_NamesTheMinimum()
    {
        var errors = ConfigSettingRules.CrossFieldErrors(new RiskSettings { PositionSizeMinPct = 30m, PositionSizeMaxPct = 20m }).ToList();

        Assert.Equal("position_size_min_pct", Assert.Single(errors).Key);
        Assert.Empty(ConfigSettingRules.CrossFieldErrors(new RiskSettings()));
    }
}
