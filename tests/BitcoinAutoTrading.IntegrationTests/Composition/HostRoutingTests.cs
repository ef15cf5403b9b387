using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.IntegrationTests.Api;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Composition;

/// <summary>
/// Routes from the built functions.metadata, matched in the Functions host's order (function names, ordinal and
/// case-insensitive; first match wins — see <see cref="HostRouteTable"/> for where the host does this). Every route,
/// present or added later, must answer every path it accepts itself.
/// </summary>
public sealed class HostRoutingTests(PostgresDatabaseFixture database, ITestOutputHelper output) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task FunctionsMetadata_EveryRoute_AnswersItsOwnPathsInHostOrder()
    {
        var table = HostRouteTable.FromFunctionsMetadata();

        var probes = await RouteShadowAnalysis.ProbeAsync(table);

        output.WriteLine("Host order (FunctionMetadataManager: OrderBy name, OrdinalIgnoreCase; RouteCollection: first match wins):");
        for (var i = 0; i < table.Entries.Count; i++)
        {
            var entry = table.Entries[i];
            var own = probes.Where(p => p.Function == entry.Function).ToList();
            var shadowed = own.Where(p => p.IsShadowed).ToList();
            output.WriteLine($"{i + 1,2}. {entry.Function,-22} {string.Join(',', entry.Methods),-6} api/{entry.Template}: "
                             + $"{own.Count} accepted probe path(s), {(shadowed.Count == 0 ? "all answered by itself" : $"{shadowed.Count} SHADOWED")}");
            foreach (var probe in shadowed)
            {
                output.WriteLine($"      {probe.Method} /{probe.Path} → {probe.Winner ?? "404"}");
            }
        }
        var literalsUnderParameters = probes
            .Where(p => table.Template(p.Function).Parameters.Count > 0 && !p.IsShadowed)
            .Select(p => $"{p.Method} /{p.Path}")
            .ToList();
        output.WriteLine($"Parameter routes answer {literalsUnderParameters.Count} probe paths themselves, e.g. "
                         + string.Join(", ", literalsUnderParameters.Take(6)));
        var refused = new[] { "api/signals/performance", "api/signals/generate" };
        foreach (var path in refused)
        {
            var winner = await table.MatchAsync(path.EndsWith("generate", StringComparison.Ordinal) ? "POST" : "GET", path);
            output.WriteLine($"/{path} → {winner?.Function ?? "404"}");
        }

        Assert.All(table.Entries, e => Assert.Contains(probes, p => p.Function == e.Function && !p.IsShadowed));
        var failures = probes.Where(p => p.IsShadowed)
            .Select(p => $"{p.Function} accepts {p.Method} /{p.Path}, but the host gives it to {p.Winner ?? "no function (404)"}, "
                         + "which comes first by name; constrain the earlier route's parameter (see RouteIds) or rename.")
            .ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task ProbeAsync_ParameterRouteNamedBeforeItsLiteralSibling_ReportsTheShadowing()
    {
        // The routes as they were before issue #17: what the real host did wrong, the analysis must see.
        var table = new HostRouteTable(
        [
            new HostRouteEntry("GetSignal", ["GET"], "signals/{id}"),
            new HostRouteEntry("GetSignalPerformance", ["GET"], "signals/performance"),
            new HostRouteEntry("GenerateSignalNow", ["POST"], "signals/generate"),
        ]);

        var probes = await RouteShadowAnalysis.ProbeAsync(table);

        var shadowed = Assert.Single(probes, p => p.IsShadowed);
        Assert.Equal(("GetSignalPerformance", "api/signals/performance", "GetSignal"), (shadowed.Function, shadowed.Path, shadowed.Winner));
        // Different methods never collide: the httpMethod constraint makes POST skip the GET route.
        Assert.Contains(probes, p => p is { Function: "GenerateSignalNow", IsShadowed: false });
    }

    [Theory]
    [InlineData("GET", "api/signals/performance", "GetSignalPerformance", null)]
    [InlineData("GET", "api/signals/PERFORMANCE", "GetSignalPerformance", null)]
    [InlineData("POST", "api/signals/generate", "GenerateSignalNow", null)]
    [InlineData("GET", "api/signals/17", "GetSignal", "17")]
    [InlineData("GET", "api/signals/abc", "GetSignal", "abc")]
    [InlineData("GET", "api/signals/performancex", "GetSignal", "performancex")]
    [InlineData("GET", "api/signals/generate", null, null)]
    [InlineData("GET", "api/orders/5", "GetOrder", "5")]
    public async Task MatchAsync_SignalsPaths_ReachTheFunctionTheHostWouldCall(string method, string path, string? function, string? id)
    {
        var match = await HostRouteTable.FromFunctionsMetadata().MatchAsync(method, path);

        Assert.Equal(function, match?.Function);
        Assert.Equal(id, match is null ? null : match.Values.GetValueOrDefault("id"));
    }

    [Fact]
    public async Task GetSignal_NonNumericIdRoutedLikeTheHost_AnswersTheAppsOwn400()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var match = await HostRouteTable.FromFunctionsMetadata().MatchAsync("GET", "api/signals/abc");
        Assert.Equal("GetSignal", match?.Function);

        var response = await ApiRoutes.CallAsync(host, match!.Function, id: match.Values["id"]);

        Assert.Equal(400, response.Status);
        Assert.True(response.IsProblem);
        Assert.NotEmpty(response.ErrorsFor("id"));
    }

    [Fact]
    public void SignalId_EveryLiteralSiblingUnderSignals_IsExcluded()
    {
        // Belt and braces for RouteIds: the literal routes directly under signals/ are exactly the ones excluded
        // (calibration is listed ahead of its route, which a parallel change adds).
        var siblings = HostRouteTable.FromFunctionsMetadata().Entries
            .Select(e => e.Template.Split('/'))
            .Where(s => s.Length == 2 && s[0] == "signals" && !s[1].StartsWith('{'))
            .Select(s => s[1]);

        Assert.All(siblings, s => Assert.Contains(s, RouteIds.SignalSiblings.Split('|')));
    }
}
