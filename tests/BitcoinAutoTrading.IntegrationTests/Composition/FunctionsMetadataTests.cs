using System.Text.Json;

namespace BitcoinAutoTrading.IntegrationTests.Composition;

/// <summary>
/// Reads the functions.metadata the Worker SDK generates at build time: it is what the Functions host uses to bind
/// triggers, so it proves routes and auth levels without Core Tools.
/// </summary>
public sealed class FunctionsMetadataTests
{
    internal static JsonElement[] LoadFunctions()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; the Functions project must be referenced and built.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    internal static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void Health_IsAnonymousGetOnApiHealth()
    {
        var health = LoadFunctions().Single(f => f.GetProperty("name").GetString() == "Health");
        var trigger = Trigger(health);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Equal("health", trigger.GetProperty("route").GetString());
        Assert.Equal(["get"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }
}
