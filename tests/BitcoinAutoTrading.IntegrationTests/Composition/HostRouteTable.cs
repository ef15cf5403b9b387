using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace BitcoinAutoTrading.IntegrationTests.Composition;

/// <summary>One HTTP function as the host maps it: its name, methods and route template (constraints included).</summary>
internal sealed record HostRouteEntry(string Function, IReadOnlyList<string> Methods, string Template);

/// <summary>The function the host would invoke for a request, with the route values it would bind.</summary>
internal sealed record HostRouteMatch(string Function, IReadOnlyDictionary<string, string?> Values);

/// <summary>
/// The Functions host's HTTP route table, built and matched the way the host does it, so that tests (and any local
/// HTTP host, e.g. the dashboard's) route requests exactly as <c>func start</c> and Azure do:
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
            var route = new Route(new FunctionTarget(entry.Function), entry.Function, template, null, constraints, null, resolver);
            _routes.Add(route);
            _byFunction.Add(entry.Function, route);
        }
    }

    /// <summary>The HTTP functions in the order the host tries them.</summary>
    public IReadOnlyList<HostRouteEntry> Entries { get; }

    /// <summary>The HTTP functions of the built functions.metadata (see <see cref="FunctionsMetadataTests.LoadFunctions"/>).</summary>
    public static HostRouteTable FromFunctionsMetadata() => new(FunctionsMetadataTests.LoadFunctions()
        .Select(f => (Name: f.GetProperty("name").GetString()!, Trigger: FunctionsMetadataTests.Trigger(f)))
        .Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger")
        .Select(f => new HostRouteEntry(
            f.Name,
            f.Trigger.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array
                ? methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList()
                : [],
            f.Trigger.TryGetProperty("route", out var route) && route.GetString() is { Length: > 0 } text ? text : f.Name)));

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
        var function = (string)routeContext.RouteData.DataTokens[FunctionTarget.Token]!;
        return new HostRouteMatch(function, routeContext.RouteData.Values
            .Where(v => v.Key is not "httpMethod")
            .ToDictionary(v => v.Key, v => v.Value?.ToString(), StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Stands in for the host's handler that invokes the function: it only records which one was chosen.</summary>
    private sealed class FunctionTarget(string function) : IRouter
    {
        public const string Token = "function";

        public VirtualPathData? GetVirtualPath(VirtualPathContext context) => null;

        public Task RouteAsync(RouteContext context)
        {
            context.RouteData.DataTokens[Token] = function;
            context.Handler = _ => Task.CompletedTask;
            return Task.CompletedTask;
        }
    }
}
