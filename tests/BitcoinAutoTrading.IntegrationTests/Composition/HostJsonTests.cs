using System.Text.Json;

namespace BitcoinAutoTrading.IntegrationTests.Composition;

/// <summary>The host.json the Functions project ships (copied to the output next to functions.metadata).</summary>
public sealed class HostJsonTests
{
    private static JsonElement LogLevels()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")));
        return document.RootElement.GetProperty("logging").GetProperty("logLevel").Clone();
    }

    [Theory]
    [InlineData("Azure.Core")]
    [InlineData("Azure.Storage")]
    [InlineData("DurableTask.AzureStorage")]
    [InlineData("DurableTask.Core")]
    public void Logging_ChattySdkCategories_LogOnlyWarnings(string category)
    {
        // Azurite alone made Azure.Core log 1,700 Information lines in 8 minutes of func start (issue #17).
        Assert.Equal("Warning", LogLevels().GetProperty(category).GetString());
    }

    [Fact]
    public void Logging_TheAppsOwnLines_StayAtInformation()
    {
        Assert.Equal("Information", LogLevels().GetProperty("Function").GetString());
    }
}
