using System.Reflection;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.IntegrationTests.Composition;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.IntegrationTests.Http;

/// <summary>
/// STANDS IN FOR THE AZURE FUNCTIONS HOST, which cannot run here (Core Tools cannot be installed). A real Kestrel server
/// on a loopback port serves the app's HTTP functions the way the host does: routes, methods and auth levels come from
/// functions.metadata (the file the host reads), matched as the host matches them (<see cref="HostRouteTable"/>: host order,
/// first match wins, route constraints applied); function
/// routes need the function key or the master key, admin routes the master key (<c>x-functions-key</c> header or
/// <c>code</c> query), else 401 with no body. The services are the real composition (<see cref="AppComposition.ComposeApp"/>)
/// over the test PostgreSQL, in Paper mode, with public prices from the Upbit fake over real HTTP. Each request activates
/// the function class from a request scope, as the worker does, and the result is executed by ASP.NET Core's executors,
/// as ConfigureFunctionsWebApplication does. Not emulated: timer and Durable triggers (the durable client of
/// <c>[DurableClient]</c> parameters is a strict mock that fails when used).
/// </summary>
internal sealed class LocalFunctionsHost : IAsyncDisposable
{
    public const string FunctionKey = "local-function-key-0123456789";

    public const string MasterKey = "local-master-key-9876543210";

    private readonly WebApplication _app;

    private LocalFunctionsHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, e.g. http://127.0.0.1:41234/ (routes are under api/).</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<LocalFunctionsHost> StartAsync(
        PostgresDatabaseFixture database, UpbitFake upbit, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Trading:Mode"] = "Paper",
            ["Paper:InitialKrw"] = "1000000",
            ["Upbit:BaseUrl"] = upbit.Url,
            ["Upbit:RetryBaseDelay"] = "00:00:00.010",
            ["MarketDataSchedule"] = "0 * * * * *",
            ["SignalSchedule"] = "0 */30 * * * *",
            ["EvaluateSignalsSchedule"] = "0 0 */4 * * *",
            ["RollDailyStatsSchedule"] = "0 5 15 * * *",
            ["SyncOpenOrdersSchedule"] = "0 */5 * * * *",
            ["PurgeMarketDataSchedule"] = "0 30 18 * * *",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(values);
        builder.ComposeApp();
        // What ConfigureFunctionsWebApplication brings for executing IActionResult: MVC's result executors.
        builder.Services.AddMvcCore();

        var app = builder.Build();
        app.Run(DispatchAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalFunctionsHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client of this server; with a key, every request carries it as <c>x-functions-key</c>.</summary>
    public HttpClient CreateClient(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        }
        return client;
    }

    private static async Task DispatchAsync(HttpContext context)
    {
        var found = await HostRouteTable.Metadata.MatchAsync(context.Request.Method, context.Request.Path.Value ?? "/");
        if (found is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!IsAuthorized(context.Request, found.Entry.AuthLevel))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var values = new RouteValueDictionary(found.Values);
        await using var scope = context.RequestServices.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        IActionResult result;
        try
        {
            result = await InvokeAsync(found.Entry, values, context);
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            // The host answers an unhandled function exception with a bare 500.
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        var routeData = new RouteData(values);
        await result.ExecuteResultAsync(new ActionContext(context, routeData, new ActionDescriptor()));
    }

    private static bool IsAuthorized(HttpRequest request, AuthorizationLevel authLevel)
    {
        if (authLevel == AuthorizationLevel.Anonymous)
        {
            return true;
        }
        var key = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return authLevel switch
        {
            AuthorizationLevel.Function => key is FunctionKey or MasterKey,
            _ => key is MasterKey,
        };
    }

    /// <summary>Binds the trigger's parameters as the worker does for these functions and awaits the result.</summary>
    private static async Task<IActionResult> InvokeAsync(HostRouteEntry route, RouteValueDictionary values, HttpContext context)
    {
        var method = route.EntryPoint ?? throw new InvalidOperationException($"{route.Function} has no entry point to invoke.");
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.RequestServices, method.DeclaringType!);
        var arguments = method.GetParameters().Select(p => Bind(p, values, context)).ToArray();
        var returned = method.Invoke(instance, arguments);
        return returned switch
        {
            Task<IActionResult> task => await task,
            IActionResult result => result,
            _ => throw new InvalidOperationException($"{route.Function} returned {returned?.GetType().Name ?? "null"}; expected an IActionResult."),
        };
    }

    private static object? Bind(ParameterInfo parameter, RouteValueDictionary values, HttpContext context)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }
        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }
        if (parameter.ParameterType == typeof(DurableTaskClient))
        {
            return UnusedDurableClient.Create();
        }
        if (parameter.ParameterType == typeof(string) && values.TryGetValue(parameter.Name!, out var value))
        {
            return value?.ToString() ?? "";
        }
        if (parameter.ParameterType == typeof(string))
        {
            // An optional catch-all segment that matched nothing binds as empty, as on the host.
            return "";
        }
        throw new NotSupportedException($"The local host cannot bind {parameter.ParameterType.Name} {parameter.Name}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
