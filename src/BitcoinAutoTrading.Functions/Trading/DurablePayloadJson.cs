using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace BitcoinAutoTrading.Functions.Trading;

/// <summary>
/// How Durable payloads (orchestration inputs and outputs, activity arguments and results) are written. Durable
/// Functions in the isolated worker serializes them with the worker's <c>WorkerOptions.Serializer</c>, which the
/// worker builds from the <see cref="JsonSerializerOptions"/> options when none is set; so enums go out as numbers
/// (<c>"Status": 3</c>) unless told otherwise. Names in the API's spelling (<c>"Status": "EXECUTED"</c>) make the
/// orchestration history and output readable in the Durable monitor and App Insights.
/// Reading still accepts numbers, so orchestrations that were in flight before this change replay unchanged.
/// </summary>
public static class DurablePayloadJson
{
    public static IServiceCollection AddDurablePayloadJson(this IServiceCollection services) =>
        services.Configure<JsonSerializerOptions>(Apply);

    public static void Apply(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: true));
    }
}
