using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Encodings.Web;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.Health;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>
/// Builds docs/openapi.json from the response records (their JSON schema as System.Text.Json writes them, camelCase) and
/// the parameter ranges the functions validate against, so the document cannot drift from the code unnoticed.
/// </summary>
internal static class OpenApiDocument
{
    internal sealed record Param(string Name, string In, string Type, string Description, int? Min = null, int? Max = null, int? Default = null, IReadOnlyList<string>? Enum = null, string? DefaultValue = null);

    internal sealed record Operation(
        string Function, string Summary, Type Response, IReadOnlyList<Param> Params, JsonObject? Body = null, IReadOnlyList<int>? Errors = null,
        int SuccessStatus = 200, string? ContentType = null);

    private static Param Limit(int min, int max, int @default) => new("limit", "query", "integer", "Page size.", min, max, @default);

    private static Param Days(int min, int max, int @default) => new("days", "query", "integer", "Days back from now.", min, max, @default);

    private static Param Hours => new("hours", "query", "integer", "Hours back from now.", MarketFunctions.MinHours, MarketFunctions.MaxHours, MarketFunctions.DefaultHours);

    private static Param Before => new("before", "query", "integer", "Paging cursor: the nextBefore of the previous page (ids below it).", 1);

    private static Param Id(string what) => new("id", "path", "integer", $"The {what} id.", 1);

    public static IReadOnlyList<Operation> Operations { get; } =
    [
        new("Health", "Liveness: answers without touching any dependency.", typeof(HealthResponse), []),
        new("HealthDetailed", "Database, Upbit, AI, scheduler, last signal and last order, each under its own timeout; 503 when unhealthy.",
            typeof(DetailedHealthResponse), [], Errors: [503]),
        new("GetMarketLatest", "The newest stored minute.", typeof(MarketMinuteResponse), [], Errors: [404]),
        new("GetMarketHistory", "Stored bars starting in the window, newest first: minutes (1m) or 5m / 15m / 1h rollups.", typeof(MarketHistoryResponse),
            [Hours, Limit(MarketFunctions.MinLimit, MarketFunctions.MaxLimit, MarketFunctions.DefaultLimit),
             new("resolution", "query", "string", "Bar resolution.", Enum: BarResolutions.WireNames, DefaultValue: MarketFunctions.DefaultResolution)],
            Errors: [400]),
        new("GetMarketStats", "Open, high, low, close, change % and volume of the window: one SQL aggregate of its hourly bars and the first partial hour's minutes.", typeof(MarketStatsResponse),
            [Hours], Errors: [400, 404]),
        new("ListSignals", "Stored signals, newest first.", typeof(SignalListResponse),
            [Limit(SignalFunctions.MinLimit, SignalFunctions.MaxLimit, SignalFunctions.DefaultLimit),
             new("type", "query", "string", "Only signals of this type.", Enum: WireNames.All<SignalType>(WireCase.UpperSnake)), Before], Errors: [400]),
        new("GetSignal", "One signal with its reasoning and evaluations.", typeof(SignalResponse), [Id("signal")], Errors: [400, 404]),
        new("GetSignalPerformance", "Per signal type (primary signals): evaluated, correct, accuracy and mean change at 4 h and 24 h; primary vs shadow over the same runs.", typeof(SignalPerformanceResponse),
            [Days(SignalFunctions.MinDays, SignalFunctions.MaxDays, SignalFunctions.DefaultDays)], Errors: [400]),
        new("GetSignalCalibration", "Brier score and reliability table (0.1 confidence bands: count, mean confidence, hit rate) at 4 h and 24 h per role, provider and model; primary vs shadow over the same runs.",
            typeof(SignalCalibrationResponse), [Days(SignalFunctions.MinDays, SignalFunctions.MaxDays, SignalFunctions.DefaultDays)], Errors: [400]),
        new("GetSignalProvenance", "A signal's provenance: prompt SHA-256, masked prompt, response schema version, model version, response id, raw response.",
            typeof(SignalProvenanceResponse), [Id("signal")], Errors: [400, 404]),
        new("GenerateSignalNow", "Runs one signal cycle now; at most one manual run per 5 minutes.", typeof(GeneratedSignalResponse), [],
            Errors: [429, 502, 503]),
        new("ListOrders", "Order records, newest first, with the total in the status.", typeof(OrderListResponse),
            [new("status", "query", "string", "Only orders in this status.", Enum: WireNames.All<OrderStatus>(WireCase.UpperSnake)),
             Limit(OrderFunctions.MinLimit, OrderFunctions.MaxLimit, OrderFunctions.DefaultLimit), Before], Errors: [400]),
        new("GetOrder", "One order record.", typeof(OrderResponse), [Id("order")], Errors: [400, 404]),
        new("GetPosition", "The recorded position valued at the latest stored price.", typeof(PositionResponse), []),
        new("GetBalance", "Exchange balances (KRW and the coin) and equity at the current ticker.", typeof(BalanceResponse), [], Errors: [503]),
        new("GetRiskStatus", "Whether entries may open now: kill switch, today's daily-loss halt, settings in force.", typeof(RiskStatusResponse), []),
        new("ListRiskEvents", "Risk events, newest first.", typeof(RiskEventListResponse),
            [Limit(RiskFunctions.MinLimit, RiskFunctions.MaxLimit, RiskFunctions.DefaultLimit),
             new("type", "query", "string", "Only events of this type.", Enum: WireNames.All<RiskEventType>(WireCase.UpperSnake)), Before], Errors: [400]),
        new("GetDailyStats", "Per KST trading day: starting equity, realized PnL, trades, halt.", typeof(DailyStatsListResponse),
            [Days(StatsFunctions.MinDays, StatsFunctions.MaxDays, StatsFunctions.DefaultDays)], Errors: [400]),
        new("GetAiUsage", "Tokens per UTC day and provider with estimated cost (configured price table, thinking at the output price; unknown price: null, never zero), the `ai_daily_budget_usd` cap in force and today's spend against it.",
            typeof(AiUsageResponse), [Days(StatsFunctions.MinDays, StatsFunctions.MaxDays, StatsFunctions.DefaultDays)], Errors: [400]),
        new("HaltTrading", "Kill switch: trading_enabled=false (entries and signal sells stop; protective exits keep running), KILL_SWITCH event, notification.",
            typeof(TradingStateResponse), [], ReasonBody(required: true), [400, 415]),
        new("ResumeTrading", "Sets trading_enabled=true again (a daily-loss halt still lasts until the KST day rolls), KILL_SWITCH event, notification.",
            typeof(TradingStateResponse), [], ReasonBody(required: false), [400, 415]),
        new("GetConfig", "Every SPEC §5.1 setting with its value in force, default, type and range.", typeof(ConfigResponse), []),
        new("PatchConfig", "Changes settings all or nothing, validated against their ranges; audit-logged; cache invalidated; a trading_enabled flip is a KILL_SWITCH event.",
            typeof(ConfigResponse), [], ConfigBody(), [400, 415]),
        new("Dashboard", "The dashboard page (embedded; strict Content-Security-Policy; asks for the function key, holds no data).",
            typeof(string), [], ContentType: "text/html"),
        new("DashboardAsset", "The dashboard's scripts, styles and vendored chart library (with its licence and notice).",
            typeof(string), [new("path", "path", "string", "The asset's path under dashboard/, e.g. app.js.")], Errors: [404],
            ContentType: "text/javascript"),
        new("ListBacktests", "Backtests stored by bat backtest, newest first: range, provider, return vs buy-and-hold, drawdown, Sharpe, trades.",
            typeof(BacktestListResponse), [Limit(BacktestFunctions.MinLimit, BacktestFunctions.MaxLimit, BacktestFunctions.DefaultLimit)], Errors: [400]),
        new("GetBacktest", "One stored backtest with its settings, options and full report (metrics, months, orders, equity curve).",
            typeof(BacktestResponse), [Id("backtest")], Errors: [400, 404]),
    ];

    private static JsonObject ReasonBody(bool required)
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject
            {
                ["reason"] = new JsonObject
                {
                    ["type"] = "string",
                    ["minLength"] = 1,
                    ["maxLength"] = TradingControlFunctions.MaxReasonLength,
                    ["description"] = "Why; trimmed, no control characters.",
                },
            },
        };
        if (required)
        {
            schema["required"] = new JsonArray("reason");
        }
        return schema;
    }

    private static JsonObject ConfigBody()
    {
        var properties = new JsonObject();
        foreach (var rule in ConfigSettingRules.All)
        {
            var property = new JsonObject
            {
                ["type"] = rule.Kind switch
                {
                    ConfigValueKind.Boolean => "boolean",
                    ConfigValueKind.Integer => "integer",
                    ConfigValueKind.Decimal => "number",
                    _ => "string",
                },
                ["description"] = rule.Description,
                ["default"] = JsonNode.Parse(rule.DefaultJson),
            };
            if (rule.Min is { } min)
            {
                property["minimum"] = min;
                property["maximum"] = rule.Max;
            }
            if (rule.Kind == ConfigValueKind.Text)
            {
                property["pattern"] = "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$";
            }
            properties[rule.Key] = property;
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["minProperties"] = 1,
            ["additionalProperties"] = false,
            ["properties"] = properties,
            ["description"] = "position_size_min_pct must not exceed position_size_max_pct (after the change).",
        };
    }

    public static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var route in ApiRoutes.All)
        {
            var operation = Operations.Single(o => o.Function == route.Function);
            var path = "/api/" + route.Route;
            if (paths[path] is not JsonObject item)
            {
                item = [];
                paths[path] = item;
            }
            item[route.Method.ToLowerInvariant()] = BuildOperation(route, operation);
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "BitcoinAutoTrading.Functions HTTP API",
                ["version"] = "1.0.0",
                ["description"] = "SPEC §7. JSON in camelCase; every error is RFC 7807 problem details. Generated by OpenApiDocumentTests from the function metadata and response records.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKey"] = new JsonObject
                    {
                        ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key",
                        ["description"] = "A function key (or the code query parameter).",
                    },
                    ["adminKey"] = new JsonObject
                    {
                        ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key",
                        ["description"] = "The host master (admin) key.",
                    },
                },
                ["schemas"] = new JsonObject
                {
                    ["Problem"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["type"] = new JsonObject { ["type"] = "string" },
                            ["title"] = new JsonObject { ["type"] = "string" },
                            ["status"] = new JsonObject { ["type"] = "integer" },
                            ["detail"] = new JsonObject { ["type"] = "string" },
                            ["instance"] = new JsonObject { ["type"] = "string" },
                            ["errors"] = new JsonObject
                            {
                                ["type"] = "object",
                                ["description"] = "400 only: messages per field name (query parameter, body field, 'id' or 'body').",
                                ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                            },
                        },
                        ["required"] = new JsonArray("title", "status"),
                    },
                },
            },
        };
    }

    private static JsonObject BuildOperation(HttpRoute route, Operation operation)
    {
        var responses = new JsonObject
        {
            [operation.SuccessStatus.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = "OK",
                ["content"] = new JsonObject { [operation.ContentType ?? "application/json"] = new JsonObject { ["schema"] = Schema(operation.Response) } },
            },
        };
        foreach (var status in (operation.Errors ?? []).Append(500).Order())
        {
            responses[status.ToString(CultureInfo.InvariantCulture)] = status == 503 && operation.Function == "HealthDetailed"
                ? new JsonObject
                {
                    ["description"] = "Unhealthy: the same report",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Schema(operation.Response) } },
                }
                : new JsonObject
                {
                    ["description"] = ErrorDescription(status),
                    ["content"] = new JsonObject
                    {
                        ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } },
                    },
                };
        }
        if (operation.Errors?.Contains(429) == true)
        {
            responses["429"]!["headers"] = new JsonObject
            {
                ["Retry-After"] = new JsonObject
                {
                    ["description"] = "Seconds until the cooldown ends.",
                    ["schema"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
                },
            };
        }

        var result = new JsonObject
        {
            ["operationId"] = operation.Function,
            ["summary"] = operation.Summary,
            ["x-auth-level"] = route.AuthLevel.ToLowerInvariant(),
        };
        var scheme = route.AuthLevel.ToLowerInvariant() switch
        {
            "admin" => "adminKey",
            "function" => "functionKey",
            _ => null,
        };
        result["security"] = scheme is null ? new JsonArray() : new JsonArray(new JsonObject { [scheme] = new JsonArray() });
        if (operation.Params.Count > 0)
        {
            result["parameters"] = new JsonArray(operation.Params.Select(p => (JsonNode)ParameterNode(p)).ToArray());
        }
        if (operation.Body is not null)
        {
            result["requestBody"] = new JsonObject
            {
                ["required"] = operation.Function != "ResumeTrading",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = operation.Body.DeepClone() } },
            };
        }
        result["responses"] = responses;
        return result;
    }

    private static JsonObject ParameterNode(Param p)
    {
        var schema = new JsonObject { ["type"] = p.Type };
        if (p.Type == "integer")
        {
            schema["format"] = "int64";
        }
        if (p.Min is { } min)
        {
            schema["minimum"] = min;
        }
        if (p.Max is { } max)
        {
            schema["maximum"] = max;
        }
        if (p.Default is { } @default)
        {
            schema["default"] = @default;
        }
        if (p.DefaultValue is { } defaultValue)
        {
            schema["default"] = defaultValue;
        }
        if (p.Enum is { } values)
        {
            schema["enum"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
            schema["description"] = "Case-insensitive.";
        }
        return new JsonObject
        {
            ["name"] = p.Name,
            ["in"] = p.In,
            ["required"] = p.In == "path",
            ["description"] = p.Description,
            ["schema"] = schema,
        };
    }

    private static string ErrorDescription(int status) => status switch
    {
        400 => "Invalid input: errors name each bad field",
        404 => "Not found",
        415 => "The body is not declared as JSON (Content-Type application/json)",
        429 => "Cooldown: retry after Retry-After seconds",
        502 => "The signal run failed",
        503 => "A dependency is not available",
        _ => "Unexpected error (no details)",
    };

    // As the host writes responses (camelCase), but numbers are numbers: the Web defaults' read-from-string leniency is not a response shape.
    private static readonly JsonSerializerOptions ResponseJson = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.Strict, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static readonly JsonSchemaExporterOptions ExporterOptions = new() { TreatNullObliviousAsNonNullable = true };

    private static JsonNode Schema(Type type) => JsonSchemaExporter.GetJsonSchemaAsNode(ResponseJson, type, ExporterOptions);

    public static string Serialize(JsonObject document) =>
        document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    public const string ReadmeHeader = "| method | route | auth | parameters | returns |\n|---|---|---|---|---|";

    /// <summary>The README API table: one row per route, in SPEC §7 order.</summary>
    public static IReadOnlyList<string> ReadmeRows() =>
        Operations.Select(operation =>
        {
            var route = ApiRoutes.Get(operation.Function);
            var parameters = string.Join(", ", operation.Params.Where(p => p.In == "query").Select(p =>
                p.Enum is { } values ? $"{p.Name}={string.Join("\\|", values)}"
                : p.Max is { } max ? string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Min}–{max} ({p.Default})")
                : $"{p.Name}"));
            if (operation.Body is not null)
            {
                parameters = route.Function switch
                {
                    "PatchConfig" => "body: {setting: value, …}",
                    "HaltTrading" => "body: {reason} (1–200 chars)",
                    _ => "body (optional): {reason}",
                };
            }
            return $"| {route.Method} | `/api/{route.Route}` | {route.AuthLevel.ToLowerInvariant()} | {(parameters.Length == 0 ? "—" : parameters)} | {operation.Summary} |";
        }).ToList();
}
