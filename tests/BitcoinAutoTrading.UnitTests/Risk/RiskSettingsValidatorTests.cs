using System.Text.Json;
using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class RiskSettingsValidatorTests
{
    private static Dictionary<string, JsonElement> Patch(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public void Validate_EverySettingWithinRange_NoErrors()
    {
        var errors = RiskSettingsValidator.Validate(Patch("""
            {"trading_enabled": false, "min_confidence": 0.7, "position_size_min_pct": 5, "position_size_max_pct": 30,
             "max_exposure_pct": 60, "stop_loss_pct": 20, "take_profit_pct": 10, "trailing_stop_activation_pct": 2,
             "trailing_stop_distance_pct": 1, "daily_loss_limit_pct": 3, "volatility_threshold_pct": 4,
             "trade_cooldown_minutes": 15, "signal_buy_threshold": 0.35, "signal_sell_threshold": -0.25,
             "ai_model": "gemini-2.5-pro"}
            """), new RiskSettings());

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_UnknownKey_Error()
    {
        var errors = RiskSettingsValidator.Validate(Patch("""{"trading_mode": "Live"}"""));

        Assert.Equal([new RiskSettingError("trading_mode", "unknown setting")], errors);
    }

    [Theory]
    [InlineData("""{"min_confidence": "0.7"}""", "min_confidence", "must be a number")]
    [InlineData("""{"trading_enabled": 1}""", "trading_enabled", "must be true or false")]
    [InlineData("""{"trading_enabled": "true"}""", "trading_enabled", "must be true or false")]
    [InlineData("""{"trade_cooldown_minutes": 1.5}""", "trade_cooldown_minutes", "must be a whole number")]
    [InlineData("""{"trade_cooldown_minutes": null}""", "trade_cooldown_minutes", "must be a whole number")]
    [InlineData("""{"ai_model": 5}""", "ai_model", "must be a string")]
    [InlineData("""{"stop_loss_pct": {"value": 5}}""", "stop_loss_pct", "must be a number")]
    public void Validate_WrongJsonType_Error(string json, string field, string error) =>
        Assert.Equal([new RiskSettingError(field, error)], RiskSettingsValidator.Validate(Patch(json)));

    [Theory]
    [InlineData("""{"stop_loss_pct": 25}""", "stop_loss_pct", "must be between 1 and 20")]
    [InlineData("""{"stop_loss_pct": 0.5}""", "stop_loss_pct", "must be between 1 and 20")]
    [InlineData("""{"min_confidence": 1.01}""", "min_confidence", "must be between 0 and 1")]
    [InlineData("""{"position_size_max_pct": 101}""", "position_size_max_pct", "must be between 1 and 100")]
    [InlineData("""{"signal_sell_threshold": 0.2}""", "signal_sell_threshold", "must be between -1 and -0.01")]
    [InlineData("""{"trade_cooldown_minutes": -1}""", "trade_cooldown_minutes", "must be between 0 and 1440")]
    public void Validate_OutOfRange_ErrorNamesRange(string json, string field, string error) =>
        Assert.Equal([new RiskSettingError(field, error)], RiskSettingsValidator.Validate(Patch(json)));

    [Theory]
    [InlineData("""{"stop_loss_pct": 1}""")]
    [InlineData("""{"stop_loss_pct": 20}""")]
    [InlineData("""{"min_confidence": 0}""")]
    [InlineData("""{"trade_cooldown_minutes": 30.0}""")]
    public void Validate_RangeBoundary_Accepted(string json) =>
        Assert.Empty(RiskSettingsValidator.Validate(Patch(json)));

    [Theory]
    [InlineData("../../v1/evil")]
    [InlineData("")]
    [InlineData("model name")]
    public void Validate_ModelNameWithCharactersOutsideModelIds_Error(string model)
    {
        var patch = new Dictionary<string, JsonElement> { ["ai_model"] = JsonSerializer.SerializeToElement(model) };

        Assert.Equal("ai_model", Assert.Single(RiskSettingsValidator.Validate(patch)).Field);
    }

    [Fact]
    public void Validate_SeveralBadFields_OneErrorEach()
    {
        var errors = RiskSettingsValidator.Validate(Patch("""{"stop_loss_pct": 30, "foo": 1, "min_confidence": 0.5}"""));

        Assert.Equal(["foo", "stop_loss_pct"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Validate_MinSizeAboveCurrentMax_CrossFieldError()
    {
        var errors = RiskSettingsValidator.Validate(Patch("""{"position_size_min_pct": 30}"""), new RiskSettings());

        var error = Assert.Single(errors);
        Assert.Equal("position_size_min_pct", error.Field);
        Assert.Contains("must not exceed position_size_max_pct (25)", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MinAndMaxRaisedTogether_Accepted() =>
        Assert.Empty(RiskSettingsValidator.Validate(Patch("""{"position_size_min_pct": 30, "position_size_max_pct": 40}"""), new RiskSettings()));
}
