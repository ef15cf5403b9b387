using System.Globalization;
using System.Text.Json;
using BitcoinAutoTrading.Core.Risk;
using Xunit;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>
/// Every numeric setting's range as PATCH /api/config and bat --set enforce it, written out here (not read from the
/// validator's table) so a changed bound fails: each edge accepted, one step past it refused with a message that names
/// the exact range. Also the position sizes' equality edge and the model name's length edge.
/// </summary>
public sealed class RiskSettingsValidatorBoundaryTests
{
    public static TheoryData<string, decimal, decimal, decimal> Ranges => new()
    {
        { RiskSettingKeys.MinConfidence, 0m, 1m, 0.01m },
        { RiskSettingKeys.PositionSizeMinPct, 1m, 100m, 0.01m },
        { RiskSettingKeys.PositionSizeMaxPct, 1m, 100m, 0.01m },
        { RiskSettingKeys.MaxExposurePct, 1m, 100m, 0.01m },
        { RiskSettingKeys.StopLossPct, 1m, 20m, 0.01m },
        { RiskSettingKeys.TakeProfitPct, 0.5m, 100m, 0.01m },
        { RiskSettingKeys.TrailingStopActivationPct, 0.1m, 50m, 0.01m },
        { RiskSettingKeys.TrailingStopDistancePct, 0.1m, 20m, 0.01m },
        { RiskSettingKeys.DailyLossLimitPct, 0.5m, 50m, 0.01m },
        { RiskSettingKeys.VolatilityThresholdPct, 0.1m, 50m, 0.01m },
        { RiskSettingKeys.TradeCooldownMinutes, 0m, 1440m, 1m },
        { RiskSettingKeys.SignalBuyThreshold, 0.01m, 1m, 0.001m },
        { RiskSettingKeys.SignalSellThreshold, -1m, -0.01m, 0.001m },
        { RiskSettingKeys.MinHitRate, 0m, 1m, 0.01m },
        { RiskSettingKeys.HitRateSampleSize, 5m, 500m, 1m },
        { RiskSettingKeys.AiDailyBudgetUsd, 0m, 1000m, 0.01m },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void ValidateField_AtEachEdgeAndOneStepPast_EdgesAcceptedPastRefusedNamingTheRange(
        string key, decimal min, decimal max, decimal step)
    {
        var range = string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}");

        Assert.Null(RiskSettingsValidator.ValidateField(key, Number(min)));
        Assert.Null(RiskSettingsValidator.ValidateField(key, Number(max)));
        Assert.Equal(range, RiskSettingsValidator.ValidateField(key, Number(min - step)));
        Assert.Equal(range, RiskSettingsValidator.ValidateField(key, Number(max + step)));
        Assert.Equal((min, max), RiskSettingsValidator.RangeOf(key));
    }

    [Fact]
    public void Validate_MinPositionSizeEqualToTheMax_Accepted()
    {
        var current = new RiskSettings { PositionSizeMinPct = 10m, PositionSizeMaxPct = 25m };

        Assert.Empty(RiskSettingsValidator.Validate(Patch((RiskSettingKeys.PositionSizeMinPct, "25")), current));
        Assert.Empty(RiskSettingsValidator.Validate(Patch((RiskSettingKeys.PositionSizeMaxPct, "10")), current));
        var error = Assert.Single(RiskSettingsValidator.Validate(Patch((RiskSettingKeys.PositionSizeMaxPct, "9.99")), current));
        Assert.Equal(RiskSettingKeys.PositionSizeMaxPct, error.Field);
        Assert.Equal("position_size_min_pct (10) must not exceed position_size_max_pct (9.99)", error.Error);
    }

    [Theory]
    [InlineData(RiskSettingKeys.AiModel)]
    [InlineData(RiskSettingKeys.AiShadowModel)]
    public void ValidateField_ModelNameOfOneAndOneHundredCharacters_AcceptedEmptyAndOneHundredOneRefused(string key)
    {
        const string refused = "must be 1 to 100 letters, digits, '.', '-' or '_'";

        Assert.Null(RiskSettingsValidator.ValidateField(key, Text("g")));
        Assert.Null(RiskSettingsValidator.ValidateField(key, Text(new string('g', 100))));
        Assert.Equal(refused, RiskSettingsValidator.ValidateField(key, Text(new string('g', 101))));
        Assert.Equal(refused, RiskSettingsValidator.ValidateField(key, Text("")));
        Assert.Null(RiskSettingsValidator.RangeOf(key));
    }

    [Fact]
    public void Validate_FieldErrorsPresent_CrossFieldCheckNotReported()
    {
        var current = new RiskSettings { PositionSizeMinPct = 10m, PositionSizeMaxPct = 25m };

        var errors = RiskSettingsValidator.Validate(
            Patch((RiskSettingKeys.PositionSizeMinPct, "50"), (RiskSettingKeys.StopLossPct, "0")), current);

        Assert.Equal([RiskSettingKeys.StopLossPct], errors.Select(e => e.Field));
    }

    private static JsonElement Number(decimal value) =>
        JsonDocument.Parse(value.ToString(CultureInfo.InvariantCulture)).RootElement.Clone();

    private static JsonElement Text(string value) => JsonSerializer.SerializeToElement(value);

    private static Dictionary<string, JsonElement> Patch(params (string Key, string Json)[] fields) =>
        fields.ToDictionary(f => f.Key, f => JsonDocument.Parse(f.Json).RootElement.Clone());
}
