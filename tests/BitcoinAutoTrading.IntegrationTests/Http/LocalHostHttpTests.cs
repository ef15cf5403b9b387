using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.Dashboard;
using BitcoinAutoTrading.IntegrationTests.Api;
using BitcoinAutoTrading.IntegrationTests.Composition;

namespace BitcoinAutoTrading.IntegrationTests.Http;

/// <summary>
/// What only real HTTP shows: routing by functions.metadata in the host's order, keys, headers, content types and the
/// body size limit, through <see cref="LocalFunctionsHost"/> (standing in for the Functions host) over real PostgreSQL.
/// </summary>
public sealed partial class LocalHostHttpTests(LocalHostFixture server) : IClassFixture<LocalHostFixture>
{
    private LocalFunctionsHost Host => server.Host;

    [Fact]
    public async Task FunctionRoute_WithoutKeyOrWithWrongKey_Is401WithNoBody()
    {
        using var anonymous = Host.CreateClient();
        using var wrong = Host.CreateClient("wrong-key");

        using var none = await anonymous.GetAsync("api/risk/status");
        using var bad = await wrong.GetAsync("api/risk/status");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FunctionRoute_WithFunctionKeyInHeaderOrCodeQuery_IsJson200()
    {
        using var keyed = Host.CreateClient(LocalFunctionsHost.FunctionKey);
        using var anonymous = Host.CreateClient();

        using var header = await keyed.GetAsync("api/risk/status");
        using var query = await anonymous.GetAsync($"api/risk/status?code={LocalFunctionsHost.FunctionKey}");

        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal("application/json", header.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(await header.Content.ReadAsStringAsync()).RootElement.GetProperty("tradingEnabled").GetBoolean());
    }

    [Fact]
    public async Task AdminRoute_WithFunctionKey_Is401_WithMasterKey_Is200()
    {
        using var function = Host.CreateClient(LocalFunctionsHost.FunctionKey);
        using var master = Host.CreateClient(LocalFunctionsHost.MasterKey);

        using var refused = await function.GetAsync("api/config");
        using var allowed = await master.GetAsync("api/config");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task UnknownRouteOrWrongMethod_Is404()
    {
        using var client = Host.CreateClient(LocalFunctionsHost.MasterKey);

        using var unknown = await client.GetAsync("api/no-such-route");
        using var wrongMethod = await client.DeleteAsync("api/config");
        using var outsidePrefix = await client.GetAsync("risk/status");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outsidePrefix.StatusCode);
    }

    [Fact]
    public async Task RouteParameter_BadOrUnknownId_IsProblemJsonNamingTheField()
    {
        using var client = Host.CreateClient(LocalFunctionsHost.FunctionKey);

        using var bad = await client.GetAsync("api/orders/abc");
        using var unknown = await client.GetAsync("api/orders/987654");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("id", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PatchConfig_BodyOverTheSizeLimit_Is400NamingBody_NothingWritten()
    {
        using var client = Host.CreateClient(LocalFunctionsHost.MasterKey);
        var before = await ApiTestData.FingerprintAsync(server.Database.DataSource);
        var oversized = "{\"ai_model\": \"" + new string('x', ApiJsonBody.MaxBytes) + "\"}";

        using var response = await client.PatchAsync("api/config", new StringContent(oversized, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains(ApiJsonBody.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), errors.GetProperty("body")[0].GetString());
        Assert.Equal(before, await ApiTestData.FingerprintAsync(server.Database.DataSource));
    }

    [Fact]
    public async Task Dashboard_Anonymous_IsHtmlWithStrictCspAndNoInlineScriptOrSecret()
    {
        using var client = Host.CreateClient();

        using var response = await client.GetAsync("api/dashboard");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(DashboardFunctions.ContentSecurityPolicy, csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Empty(InlineScript().Matches(html));
        Assert.Empty(InlineHandlerOrStyle().Matches(html));
        Assert.DoesNotContain(LocalFunctionsHost.FunctionKey, html, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalFunctionsHost.MasterKey, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardAsset_EveryEmbeddedFile_IsServedWithItsTypeAndRevalidatesWith304()
    {
        using var client = Host.CreateClient();
        Assert.Contains("vendor/lightweight-charts.standalone.production.js", DashboardAssets.Paths);
        Assert.Contains("vendor/lightweight-charts.LICENSE.txt", DashboardAssets.Paths);
        Assert.Contains("vendor/lightweight-charts.NOTICE.txt", DashboardAssets.Paths);

        foreach (var path in DashboardAssets.Paths)
        {
            var asset = DashboardAssets.Find(path)!;
            using var response = await client.GetAsync("api/dashboard/" + path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(asset.ContentType.Split(';')[0], response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(asset.Content, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(DashboardFunctions.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());

            using var again = new HttpRequestMessage(HttpMethod.Get, "api/dashboard/" + path);
            again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(asset.ETag));
            using var revalidated = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }
    }

    [Fact]
    public async Task DashboardAsset_BrowserAcceptingGzip_GetsTheSameBytesGzipped()
    {
        using var client = Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/dashboard/vendor/lightweight-charts.standalone.production.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");

        using var response = await client.SendAsync(request);
        var wire = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        Assert.True(wire.Length < 80 * 1024, $"{wire.Length} bytes gzipped");
        using var unzipped = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(wire), System.IO.Compression.CompressionMode.Decompress))
        {
            await gzip.CopyToAsync(unzipped);
        }
        Assert.Equal(DashboardAssets.Find("vendor/lightweight-charts.standalone.production.js")!.Content, unzipped.ToArray());
    }

    [Fact]
    public async Task DashboardAsset_UnknownOrEscapingPath_Is404_TrailingSlashRedirectsToThePage()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };

        using var unknown = await client.GetAsync("api/dashboard/nope.js");
        using var escaping = await client.GetAsync("api/dashboard/%2e%2e%2fhost.json");
        using var slash = await client.GetAsync("api/dashboard/");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, escaping.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, slash.StatusCode);
        Assert.Equal("/api/dashboard", new Uri(new Uri(Host.BaseAddress, "api/dashboard/"), slash.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task RouteTable_IsInFunctionNameOrder_AndThePageComesBeforeTheCatchAll()
    {
        var routes = HostRouteTable.Metadata;
        var names = routes.Entries.Select(r => r.Function).ToList();

        Assert.Equal(names.Order(HostRouteTable.HostOrder), names);
        Assert.Equal("Dashboard", (await routes.MatchAsync("GET", "/api/dashboard"))?.Function);
        Assert.Equal("DashboardAsset", (await routes.MatchAsync("GET", "/api/dashboard/app.js"))?.Function);
        // The catch-all cannot shadow anything else: no other route starts with dashboard.
        Assert.All(routes.Entries.Where(r => !r.Function.StartsWith("Dashboard", StringComparison.Ordinal)),
            r => Assert.False(r.Template.StartsWith("dashboard", StringComparison.Ordinal), r.Template));
    }

    [Fact]
    public void ContentSecurityPolicy_StyleHash_IsTheVendoredChartsAttributionStylesheet()
    {
        var library = Encoding.UTF8.GetString(DashboardAssets.Find("vendor/lightweight-charts.standalone.production.js")!.Content);
        var style = AttributionStyle().Match(library);

        Assert.True(style.Success, "the chart library's attribution stylesheet was not found");
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(style.Groups[1].Value)));
        Assert.Equal(DashboardFunctions.ChartAttributionStyleHash, $"'sha256-{hash}'");
    }

    [GeneratedRegex("innerText=\"(a#tv-attr-logo[^\"]*)\"")]
    private static partial Regex AttributionStyle();

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("\\s(on[a-z]+|style)\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandlerOrStyle();
}
