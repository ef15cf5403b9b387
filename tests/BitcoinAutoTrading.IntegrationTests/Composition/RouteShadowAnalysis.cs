using Microsoft.AspNetCore.Routing.Template;

namespace BitcoinAutoTrading.IntegrationTests.Composition;

/// <summary>One request a route accepts, and the function the host would actually give it to.</summary>
internal sealed record RouteProbe(string Function, string Method, string Path, string? Winner)
{
    public bool IsShadowed => !string.Equals(Winner, Function, StringComparison.Ordinal);
}

/// <summary>
/// Finds routes that an earlier route (in the host's order) answers instead. For every route it builds the paths that
/// route accepts — each parameter segment filled with every literal segment any route uses (the names a sibling could
/// claim, today and whenever a route is added) and with generic values (<c>1</c>, <c>abc</c>) — and asks the host's route
/// table who wins each one. A route is shadowed when a path it accepts goes to another function.
/// </summary>
internal static class RouteShadowAnalysis
{
    private static readonly string[] GenericValues = ["1", "42", "abc", "x-y"];
    private static readonly string[] AnyMethod = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private const int MaxPathsPerRoute = 5_000;

    public static async Task<IReadOnlyList<RouteProbe>> ProbeAsync(HostRouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var candidates = table.Entries
            .SelectMany(e => table.Template(e.Function).Segments)
            .SelectMany(s => s.Parts)
            .Where(p => p.IsLiteral)
            .Select(p => p.Text!)
            .Concat(GenericValues)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        var probes = new List<RouteProbe>();
        foreach (var entry in table.Entries)
        {
            foreach (var method in entry.Methods.Count == 0 ? AnyMethod : entry.Methods)
            {
                foreach (var path in SamplePaths(table.Template(entry.Function), candidates).Take(MaxPathsPerRoute))
                {
                    if (!await table.AcceptsAsync(entry.Function, method, path).ConfigureAwait(false))
                    {
                        continue;
                    }
                    var winner = await table.MatchAsync(method, path).ConfigureAwait(false);
                    probes.Add(new RouteProbe(entry.Function, method, path, winner?.Function));
                }
            }
        }
        return probes;
    }

    private static IEnumerable<string> SamplePaths(RouteTemplate template, IReadOnlyList<string> candidates)
    {
        IEnumerable<string> paths = [HostRouteTable.DefaultRoutePrefix];
        foreach (var segment in template.Segments)
        {
            var options = SegmentOptions(segment, candidates).ToList();
            paths = paths.SelectMany(prefix => options.Select(option => option is null ? prefix : prefix + "/" + option)).ToList();
        }
        return paths;
    }

    /// <summary>The texts one segment can take; null for an optional parameter left out.</summary>
    private static IEnumerable<string?> SegmentOptions(TemplateSegment segment, IReadOnlyList<string> candidates)
    {
        if (segment.Parts.Count == 1 && segment.Parts[0] is { IsParameter: true } parameter)
        {
            foreach (var candidate in candidates)
            {
                yield return candidate;
            }
            if (parameter.IsCatchAll)
            {
                yield return "a/b";
            }
            if (parameter.IsOptional || parameter.IsCatchAll)
            {
                yield return null;
            }
            yield break;
        }
        // A literal segment, or a complex one (a{x}.{y}): its literals as written, each parameter as a plain value.
        yield return string.Concat(segment.Parts.Select(p => p.IsParameter ? "1" : p.Text));
    }
}
