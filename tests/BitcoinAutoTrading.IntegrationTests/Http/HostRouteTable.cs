using System.Reflection;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.IntegrationTests.Composition;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace BitcoinAutoTrading.IntegrationTests.Http;

/// <summary>One HTTP function of functions.metadata: its route template, methods, auth level and the method it runs.</summary>
internal sealed record HostRoute(string Function, IReadOnlyList<string> Methods, string Route, string AuthLevel, MethodInfo EntryPoint)
{
    private readonly TemplateMatcher _matcher = new(TemplateParser.Parse(Route), new RouteValueDictionary());

    public bool TryMatch(PathString pathUnderPrefix, RouteValueDictionary values) => _matcher.TryMatch(pathUnderPrefix, values);
}

/// <summary>
/// The host's route order over functions.metadata: the Functions host tries HTTP functions in the ordinal order of their
/// names and the first whose route template and method match wins (issue #17: GetSignal's <c>signals/{id}</c> shadowed
/// <c>signals/performance</c> that way). At merge this can defer to the route-order helper of the host-routing branch.
/// </summary>
internal static class HostRouteTable
{
    public const string RoutePrefix = "/api";

    private static readonly Lazy<IReadOnlyList<HostRoute>> Routes = new(Load);

    public static IReadOnlyList<HostRoute> All => Routes.Value;

    /// <summary>The first route in host order whose template and method match, with its route values; null for a 404.</summary>
    public static (HostRoute Route, RouteValueDictionary Values)? Match(string method, PathString path)
    {
        if (!path.StartsWithSegments(RoutePrefix, StringComparison.OrdinalIgnoreCase, out var rest))
        {
            return null;
        }
        foreach (var route in All)
        {
            var values = new RouteValueDictionary();
            if (route.Methods.Contains(method, StringComparer.OrdinalIgnoreCase) && route.TryMatch(rest, values))
            {
                return (route, values);
            }
        }
        return null;
    }

    private static IReadOnlyList<HostRoute> Load()
    {
        var assembly = typeof(AppComposition).Assembly;
        return FunctionsMetadataTests.LoadFunctions()
            .Select(f => (Function: f, Trigger: FunctionsMetadataTests.Trigger(f)))
            .Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger")
            .Select(f =>
            {
                var entryPoint = f.Function.GetProperty("entryPoint").GetString()!;
                var split = entryPoint.LastIndexOf('.');
                var type = assembly.GetType(entryPoint[..split], throwOnError: true)!;
                var method = type.GetMethod(entryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                             ?? throw new InvalidOperationException($"No method for entry point {entryPoint}.");
                return new HostRoute(
                    f.Function.GetProperty("name").GetString()!,
                    f.Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList(),
                    f.Trigger.GetProperty("route").GetString()!,
                    f.Trigger.GetProperty("authLevel").GetString()!.ToLowerInvariant(),
                    method);
            })
            .OrderBy(r => r.Function, StringComparer.Ordinal)
            .ToList();
    }
}
