using System.Reflection;
using System.Text.Json;
using BitcoinAutoTrading.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace BitcoinAutoTrading.IntegrationTests.Composition;

/// <summary>One HTTP function as the host maps it: its name, methods and route template (constraints included).</summary>
internal sealed record HostRouteEntry(string Function, IReadOnlyList<string> Methods, string Template)
{
    /// <summary>The key the host demands before invoking it; <see cref="AuthorizationLevel.Function"/> when the trigger
    /// declares none, as on the host.</summary>
    public AuthorizationLevel AuthLevel { get; init; } = AuthorizationLevel.Function;

    /// <summary>The method the worker runs for it (functions.metadata's <c>entryPoint</c>); null only in tables built by
    /// hand to test the ordering, which nothing invokes.</summary>
    public MethodInfo? EntryPoint { get; init; }
}

/// <summary>The function the host would invoke for a request, with the route values it would bind.</summary>
internal sealed record HostRouteMatch(HostRouteEntry Entry, IReadOnlyDictionary<string, string?> Values)
{
    public string Function => Entry.Function;
}

/// <summary>
/// The Functions host's HTTP route table, built and matched the way the host does it, so that tests and the local host
/// standing in for it (<see cref="Http.LocalFunctionsHost"/>, which also needs each entry's auth level and entry point)
/// route requests exactly as <c>func start</c> and Azure do:
/// <list type="number">
/// <item>Order: <c>FunctionMetadataManager.LoadFunctionMetadata</c> (azure-functions-host,
/// src/WebJobs.Script/Host/FunctionMetadataManager.cs) returns the functions
/// <c>OrderBy(f =&gt; f.Name, StringComparer.OrdinalIgnoreCase)</c>; <c>ScriptHost</c> keeps that order and
/// <c>WebScriptHostHttpRoutesManager.InitializeHttpFunctionRoutes</c> maps one route per HTTP function in it, with the
/// route prefix (<c>api</c>) and an <c>httpMethod</c> constraint from the trigger's methods.</item>
/// <item>Matching: the routes go into one ASP.NET Core <see cref="RouteCollection"/> (azure-webjobs-sdk-extensions,
/// <c>WebJobsRouteBuilder.Build</c>, no re-sorting), which tries them in order and stops at the first whose template and
/// constraints match: a literal route after a parameter route at the same place is unreachable.</item>
/// <item>Constraints: inline constraints are resolved by ASP.NET Core's default resolver (<c>AddRouting()</c>), so
/// <c>regex(...)</c>, <c>long</c>, etc. behave as here; a failed constraint means "no match", never an error.</item>
/// </list>
/// The matching below uses the same classes (<see cref="Route"/>, <see cref="RouteCollection"/>,
/// <see cref="HttpMethodRouteConstraint"/>), so only the ordering rule is restated, not re-implemented.
/// </summary>
internal sealed class HostRouteTable
{
    public const string DefaultRoutePrefix = "api";

    /// <summary>The host's function order: ordinal, case-insensitive by function name.</summary>
    public static readonly StringComparer HostOrder = StringComparer.OrdinalIgnoreCase;

    private static readonly IServiceProvider RoutingServices = new ServiceCollection().AddLogging().AddRouting().BuildServiceProvider();

    private readonly RouteCollection _routes = new();
    private readonly Dictionary<string, Route> _byFunction = new(StringComparer.Ordinal);

    private static readonly Lazy<HostRouteTable> Built = new(FromFunctionsMetadata);

    public HostRouteTable(IEnumerable<HostRouteEntry> entries, string routePrefix = DefaultRoutePrefix)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var resolver = RoutingServices.GetRequiredService<IInlineConstraintResolver>();
        Entries = entries.OrderBy(e => e.Function, HostOrder).ToList();
        foreach (var entry in Entries)
        {
            var template = string.IsNullOrEmpty(routePrefix) ? entry.Template : routePrefix + "/" + entry.Template;
            var constraints = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
            {
                ["httpMethod"] = new HttpMethodRouteConstraint(entry.Methods.ToArray()),
            };
            var route = new Route(new FunctionTarget(entry), entry.Function, template, null, constraints, null, resolver);
            _routes.Add(route);
            _byFunction.Add(entry.Function, route);
        }
    }

    /// <summary>The HTTP functions in the order the host tries them.</summary>
    public IReadOnlyList<HostRouteEntry> Entries { get; }

    /// <summary>The HTTP functions of the built functions.metadata, read once: the file does not change during a test run.</summary>
    public static HostRouteTable Metadata => Built.Value;

    /// <summary>The HTTP functions of the built functions.metadata (see <see cref="FunctionsMetadataTests.LoadFunctions"/>).</summary>
    public static HostRouteTable FromFunctionsMetadata() => new(FunctionsMetadataTests.LoadFunctions()
        .Select(f => (Function: f, Trigger: FunctionsMetadataTests.Trigger(f)))
        .Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger")
        .Select(f => new HostRouteEntry(
            f.Function.GetProperty("name").GetString()!,
            f.Trigger.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array
                ? methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList()
                : [],
            f.Trigger.TryGetProperty("route", out var route) && route.GetString() is { Length: > 0 } text ? text : f.Function.GetProperty("name").GetString()!)
        {
            AuthLevel = f.Trigger.TryGetProperty("authLevel", out var level) && level.GetString() is { Length: > 0 } declared
                ? Enum.Parse<AuthorizationLevel>(declared, ignoreCase: true)
                : AuthorizationLevel.Function,
            EntryPoint = EntryPointMethod(f.Function.GetProperty("entryPoint").GetString()!),
        }));

    /// <summary>The first route that matches, as the host picks it; null when none does (the host's 404).</summary>
    public Task<HostRouteMatch?> MatchAsync(string method, string path) => MatchAsync(_routes, method, path);

    /// <summary>Whether one function's own route (template and constraints) accepts the request, ignoring the others.</summary>
    public async Task<bool> AcceptsAsync(string function, string method, string path) =>
        await MatchAsync(_byFunction[function], method, path).ConfigureAwait(false) is not null;

    /// <summary>The parsed template of a function's route, without the prefix.</summary>
    public RouteTemplate Template(string function) => TemplateParser.Parse(Entries.Single(e => e.Function == function).Template);

    /// <summary>A route template as a client writes the path: <c>signals/{id:regex(...)}</c> becomes <c>signals/{id}</c>.</summary>
    public static string WithoutConstraints(string template) => string.Join('/', TemplateParser.Parse(template).Segments.Select(segment =>
        string.Concat(segment.Parts.Select(part => part.IsParameter
            ? "{" + (part.IsCatchAll ? "*" : "") + part.Name + (part.IsOptional ? "?" : "") + "}"
            : part.Text))));

    /// <summary>functions.metadata names the method as <c>Namespace.Type.Method</c> in the Functions assembly.</summary>
    private static MethodInfo EntryPointMethod(string entryPoint)
    {
        var split = entryPoint.LastIndexOf('.');
        var type = typeof(AppComposition).Assembly.GetType(entryPoint[..split], throwOnError: true)!;
        return type.GetMethod(entryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
               ?? throw new InvalidOperationException($"No method for entry point {entryPoint}.");
    }

    private static async Task<HostRouteMatch?> MatchAsync(IRouter router, string method, string path)
    {
        var context = new DefaultHttpContext { RequestServices = RoutingServices };
        context.Request.Method = method;
        context.Request.Path = new PathString("/" + path.TrimStart('/'));
        var routeContext = new RouteContext(context);
        await router.RouteAsync(routeContext).ConfigureAwait(false);
        if (routeContext.Handler is null)
        {
            return null;
        }
        var entry = (HostRouteEntry)routeContext.RouteData.DataTokens[FunctionTarget.Token]!;
        return new HostRouteMatch(entry, routeContext.RouteData.Values
            .Where(v => v.Key is not "httpMethod")
            .ToDictionary(v => v.Key, v => v.Value?.ToString(), StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Stands in for the host's handler that invokes the function: it only records which one was chosen.</summary>
    private sealed class FunctionTarget(HostRouteEntry entry) : IRouter
    {
        public const string Token = "function";

        public VirtualPathData? GetVirtualPath(VirtualPathContext context) => null;

        public Task RouteAsync(RouteContext context)
        {
            context.RouteData.DataTokens[Token] = entry;
            context.Handler = _ => Task.CompletedTask;
            return Task.CompletedTask;
        }
    }
}
