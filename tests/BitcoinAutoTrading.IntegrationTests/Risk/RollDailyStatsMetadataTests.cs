using BitcoinAutoTrading.IntegrationTests.Composition;

namespace BitcoinAutoTrading.IntegrationTests.Risk;

public sealed class RollDailyStatsMetadataTests
{
    [Fact]
    public void RollDailyStats_IsTimerOnScheduleSettingWithoutRunOnStartup()
    {
        var function = FunctionsMetadataTests.LoadFunctions().Single(f => f.GetProperty("name").GetString() == "RollDailyStats");
        var trigger = FunctionsMetadataTests.Trigger(function);

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%RollDailyStatsSchedule%", trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.GetBoolean());
    }
}
