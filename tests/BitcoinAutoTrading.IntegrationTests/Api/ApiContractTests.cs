using System.Text.Json.Nodes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>
/// Routes and auth levels as functions.metadata declares them (what the host enforces), checked against SPEC §7, the
/// committed docs/openapi.json and the README's API table.
/// </summary>
public sealed class ApiContractTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string, string> Expected => new()
    {
        { "Health", "GET", "health", "anonymous" },
        { "HealthDetailed", "GET", "health/detailed", "function" },
        { "GetMarketLatest", "GET", "market/latest", "function" },
        { "GetMarketHistory", "GET", "market/history", "function" },
        { "GetMarketStats", "GET", "market/stats", "function" },
        { "ListSignals", "GET", "signals", "function" },
        { "GetSignal", "GET", "signals/{id}", "function" },
        { "GetSignalPerformance", "GET", "signals/performance", "function" },
        { "GetSignalCalibration", "GET", "signals/calibration", "function" },
        { "GetSignalProvenance", "GET", "signals/{id}/provenance", "admin" },
        { "ListOrders", "GET", "orders", "function" },
        { "GetOrder", "GET", "orders/{id}", "function" },
        { "GetPosition", "GET", "position", "function" },
        { "GetBalance", "GET", "balance", "function" },
        { "GetRiskStatus", "GET", "risk/status", "function" },
        { "ListRiskEvents", "GET", "risk/events", "function" },
        { "GetDailyStats", "GET", "stats/daily", "function" },
        { "GetAiUsage", "GET", "ai/usage", "function" },
        { "HaltTrading", "POST", "trading/halt", "admin" },
        { "ResumeTrading", "POST", "trading/resume", "admin" },
        { "GetConfig", "GET", "config", "admin" },
        { "PatchConfig", "PATCH", "config", "admin" },
        { "GenerateSignalNow", "POST", "signals/generate", "admin" },
        { "Dashboard", "GET", "dashboard", "anonymous" },
        { "DashboardAsset", "GET", "dashboard/{*path}", "anonymous" },
        { "ListBacktests", "GET", "backtests", "function" },
        { "GetBacktest", "GET", "backtests/{id}", "function" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void FunctionsMetadata_Route_HasSpecMethodAndAuthLevel(string function, string method, string route, string authLevel)
    {
        var declared = ApiRoutes.Get(function);

        Assert.Equal(method, declared.Method);
        Assert.Equal(route, declared.Route);
        Assert.Equal(authLevel, declared.AuthLevel, ignoreCase: true);
    }

    [Fact]
    public void FunctionsMetadata_HttpFunctions_AreExactlyTheSpecRoutes()
    {
        Assert.Equal(
            Expected.Select(row => (string)row[0]).Order(StringComparer.Ordinal),
            ApiRoutes.All.Select(r => r.Function).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OpenApiDocument_EveryMetadataRoute_IsDocumentedWithItsAuthLevel()
    {
        var document = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("docs", "openapi.json")))!;

        foreach (var route in ApiRoutes.All)
        {
            var operation = document["paths"]?["/api/" + route.Route]?[route.Method.ToLowerInvariant()];
            Assert.True(operation is not null, $"docs/openapi.json lacks {route.Method} /api/{route.Route}");
            Assert.Equal(route.Function, operation!["operationId"]!.GetValue<string>());
            Assert.Equal(route.AuthLevel.ToLowerInvariant(), operation["x-auth-level"]!.GetValue<string>());
        }
        var documented = document["paths"]!.AsObject().Sum(p => p.Value!.AsObject().Count);
        Assert.Equal(ApiRoutes.All.Count, documented);
    }

    /// <summary>Regenerate with <c>BAT_WRITE_OPENAPI=1 dotnet test --filter OpenApiDocument_IsUpToDate</c>.</summary>
    [Fact]
    public void OpenApiDocument_IsUpToDate()
    {
        var path = RepositoryFiles.PathOf("docs", "openapi.json");
        var generated = OpenApiDocument.Serialize(OpenApiDocument.Build());
        if (Environment.GetEnvironmentVariable("BAT_WRITE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        Assert.Equal(generated, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Readme_ApiTable_HasARowForEveryMetadataRoute()
    {
        var rows = OpenApiDocument.ReadmeRows();
        output.WriteLine(OpenApiDocument.ReadmeHeader);
        foreach (var row in rows)
        {
            output.WriteLine(row);
        }
        var readme = File.ReadAllLines(RepositoryFiles.PathOf("README.md"));

        foreach (var route in ApiRoutes.All)
        {
            var key = $"| {route.Method} | `/api/{route.Route}` | {route.AuthLevel.ToLowerInvariant()} |";
            Assert.True(
                readme.Any(l => l.TrimStart().StartsWith(key, StringComparison.Ordinal)),
                $"README.md's API table lacks the row '{key} …'");
        }
    }

}
