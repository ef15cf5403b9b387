using System.Text.Json.Nodes;
using BitcoinAutoTrading.Core.Signals;

namespace BitcoinAutoTrading.Infrastructure.Ai.Gemini;

/// <summary>The generateContent body: the prompt plus a JSON response schema, so the model answers in a checkable shape.</summary>
internal static class GeminiRequestFactory
{
    public static readonly string[] Signals = ["BUY", "SELL", "HOLD"];

    /// <summary>Stored with every Gemini signal; raise it whenever <see cref="ResponseSchema"/> changes.</summary>
    public const int SchemaVersion = 1;

    public static string Create(string prompt, double temperature)
    {
        ArgumentException.ThrowIfNullOrEmpty(prompt);
        var body = new JsonObject
        {
            ["contents"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["parts"] = new JsonArray(new JsonObject { ["text"] = prompt }),
            }),
            ["generationConfig"] = new JsonObject
            {
                ["responseMimeType"] = "application/json",
                ["responseSchema"] = ResponseSchema(),
                ["temperature"] = temperature,
            },
        };
        return body.ToJsonString();
    }

    private static JsonObject ResponseSchema() => new()
    {
        ["type"] = "OBJECT",
        ["properties"] = new JsonObject
        {
            ["signal"] = new JsonObject { ["type"] = "STRING", ["enum"] = Strings(Signals) },
            ["action_score"] = new JsonObject { ["type"] = "NUMBER", ["minimum"] = -1, ["maximum"] = 1 },
            ["regime"] = new JsonObject { ["type"] = "STRING", ["enum"] = Strings(MarketRegimeNames.All) },
            ["reasoning"] = new JsonObject
            {
                ["type"] = "OBJECT",
                ["properties"] = new JsonObject
                {
                    ["summary"] = new JsonObject { ["type"] = "STRING" },
                    ["key_factors"] = new JsonObject { ["type"] = "ARRAY", ["items"] = new JsonObject { ["type"] = "STRING" } },
                    ["risks"] = new JsonObject { ["type"] = "STRING" },
                },
                ["required"] = Strings(["summary"]),
            },
        },
        ["required"] = Strings(["signal", "action_score", "regime", "reasoning"]),
        ["propertyOrdering"] = Strings(["signal", "action_score", "regime", "reasoning"]),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
