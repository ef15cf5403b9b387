using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.Dashboard;
using BitcoinAutoTrading.Functions.Health;
using BitcoinAutoTrading.IntegrationTests.Composition;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>
/// One HTTP function as functions.metadata declares it. <see cref="Route"/> is the path as clients write it
/// (<c>signals/{id}</c>); <see cref="Template"/> is the host's template with its constraints.
/// </summary>
internal sealed record HttpRoute(string Function, string Method, string Route, string AuthLevel, string Template)
{
    public string Path(string? id = null) => id is null ? Route : Route.Replace("{id}", id, StringComparison.Ordinal);
}

/// <summary>Calls a function class method by its function name, as the host would after routing.</summary>
internal static class ApiRoutes
{
    private static readonly Lazy<IReadOnlyList<HttpRoute>> Routes = new(() => FunctionsMetadataTests.LoadFunctions()
        .Select(f => (Name: f.GetProperty("name").GetString()!, Trigger: FunctionsMetadataTests.Trigger(f)))
        .Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger")
        .Select(f => new HttpRoute(
            f.Name,
            f.Trigger.GetProperty("methods").EnumerateArray().Single().GetString()!.ToUpperInvariant(),
            HostRouteTable.WithoutConstraints(f.Trigger.GetProperty("route").GetString()!),
            f.Trigger.GetProperty("authLevel").GetString()!,
            f.Trigger.GetProperty("route").GetString()!))
        .OrderBy(r => r.Route, StringComparer.Ordinal)
        .ToList());

    public static IReadOnlyList<HttpRoute> All => Routes.Value;

    public static HttpRoute Get(string function) => All.Single(r => r.Function == function);

    public static Task<IActionResult> InvokeAsync(ApiTestHost host, string function, HttpRequest request, string? id = null) => function switch
    {
        "Health" => Task.FromResult(new HealthFunction().Run(request)),
        "HealthDetailed" => host.Function<DetailedHealthFunction>().Run(request),
        "GetMarketLatest" => host.Function<MarketFunctions>().Latest(request),
        "GetMarketHistory" => host.Function<MarketFunctions>().History(request),
        "GetMarketStats" => host.Function<MarketFunctions>().Stats(request),
        "ListSignals" => host.Function<SignalFunctions>().List(request),
        "GetSignal" => host.Function<SignalFunctions>().Get(request, id!),
        "GetSignalPerformance" => host.Function<SignalFunctions>().Performance(request),
        "GetSignalCalibration" => host.Function<SignalCalibrationFunctions>().Calibration(request),
        "GetSignalProvenance" => host.Function<SignalCalibrationFunctions>().Provenance(request, id!),
        "GenerateSignalNow" => host.Function<ManualSignalFunction>().Run(request, UnusedDurableClient.Create()),
        "ListOrders" => host.Function<OrderFunctions>().List(request),
        "GetOrder" => host.Function<OrderFunctions>().Get(request, id!),
        "ListBacktests" => host.Function<BacktestFunctions>().List(request),
        "GetBacktest" => host.Function<BacktestFunctions>().Get(request, id!),
        "GetPosition" => host.Function<AccountFunctions>().Position(request),
        "GetBalance" => host.Function<AccountFunctions>().Balance(request),
        "GetRiskStatus" => host.Function<RiskFunctions>().Status(request),
        "ListRiskEvents" => host.Function<RiskFunctions>().Events(request),
        "GetDailyStats" => host.Function<StatsFunctions>().Daily(request),
        "GetAiUsage" => host.Function<StatsFunctions>().AiUsage(request),
        "HaltTrading" => host.Function<TradingControlFunctions>().Halt(request),
        "ResumeTrading" => host.Function<TradingControlFunctions>().Resume(request),
        "GetConfig" => host.Function<ConfigFunctions>().Get(request),
        "PatchConfig" => host.Function<ConfigFunctions>().Patch(request),
        "Dashboard" => Task.FromResult(new DashboardFunctions().Page(request)),
        "DashboardAsset" => Task.FromResult(new DashboardFunctions().Asset(request, id ?? "")),
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "No such HTTP function."),
    };

    /// <summary>
    /// Builds the request from the function's declared method and route, checks that the Functions host would route it to
    /// that function (host order, first match wins: <see cref="HostRouteTable"/>), invokes it and executes the result.
    /// </summary>
    public static async Task<ApiResponse> CallAsync(
        ApiTestHost host, string function, string? query = null, string? body = null, string? id = null)
    {
        var route = Get(function);
        await AssertHostRoutesToAsync(route, route.Path(id), id);
        var request = host.Request(route.Method, route.Path(id), query, body);
        return await ApiTestHost.ExecuteAsync(request, await InvokeAsync(host, function, request, id));
    }

    public static async Task<ApiResponse> CallAsync(ApiTestHost host, string function, string? query, byte[] body)
    {
        var route = Get(function);
        await AssertHostRoutesToAsync(route, route.Path(), null);
        var request = host.Request(route.Method, route.Path(), query, body);
        return await ApiTestHost.ExecuteAsync(request, await InvokeAsync(host, function, request));
    }

    private static readonly Lazy<HostRouteTable> HostRoutes = new(HostRouteTable.FromFunctionsMetadata);

    /// <summary>A call a test makes by function name must be one the real host would deliver to that function.</summary>
    private static async Task AssertHostRoutesToAsync(HttpRoute route, string path, string? id)
    {
        var match = await HostRoutes.Value.MatchAsync(route.Method, HostRouteTable.DefaultRoutePrefix + "/" + path);
        Assert.True(match?.Function == route.Function,
            $"On the Functions host {route.Method} /api/{path} reaches {match?.Function ?? "no function (404)"}, not {route.Function}.");
        if (id is not null)
        {
            Assert.Equal(id, match!.Values.GetValueOrDefault("id"));
        }
    }
}
