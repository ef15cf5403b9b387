using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace BitcoinAutoTrading.Functions.Dashboard;

/// <summary>
/// Serves the dashboard shell and its assets from the assembly. Anonymous: the files hold no data and no secret; the page
/// asks the user for the function key and calls the API with it. The host matches routes in the ordinal order of function
/// names and the first match wins, so the page ("Dashboard") comes before the catch-all ("DashboardAsset"), and the
/// catch-all only covers paths under <c>dashboard/</c>, which no other function uses. The catch-all requires a non-empty
/// path (<c>minlength(1)</c>, one of ASP.NET Core's default inline constraints, which the host's route builder resolves):
/// an empty catch-all would also accept the bare <c>dashboard</c> (and <c>dashboard/</c>), which belong to the page.
/// </summary>
public sealed class DashboardFunctions
{
    /// <summary>
    /// The one inline stylesheet allowed, by hash: the vendored chart library's attribution logo (TradingView's notice, which
    /// its licence asks us to keep) adds a fixed <c>&lt;style&gt;</c> element. A test recomputes it from the vendored file.
    /// </summary>
    public const string ChartAttributionStyleHash = "'sha256-3pRED1tOXas1FXFoPb9TGCjmYe9XQsmO9OV23khV2nY='";

    /// <summary>Only this origin's own files and API; no inline script or style; never framed (clickjacking of Halt).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' " + ChartAttributionStyleHash + "; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    [Function("Dashboard")]
    public IActionResult Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request) =>
        // Routing ignores a trailing slash, but "dashboard/" would resolve the page's relative links one level too deep.
        request?.Path.Value?.EndsWith('/') == true ? new RedirectResult("../dashboard") : Serve(request!, DashboardAssets.IndexPath);

    [Function("DashboardAsset")]
    public IActionResult Asset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{*path:minlength(1)}")] HttpRequest request, string path) =>
        // The route never binds an empty path ("dashboard/" goes to the page, which redirects it); answer one as the page would.
        string.IsNullOrEmpty(path) ? new RedirectResult("../dashboard") : Serve(request, path);

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(value => value?.Contains("gzip", StringComparison.OrdinalIgnoreCase) == true);

    private static IActionResult Serve(HttpRequest request, string path)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.HttpContext.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.XFrameOptions] = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        var asset = DashboardAssets.Find(path);
        if (asset is null)
        {
            return new NotFoundResult();
        }
        // Revalidate every time: a deployment changes the files behind the same names, and a 304 costs one small round trip.
        // The file result's executor answers If-None-Match with 304 from the entity tag.
        headers[HeaderNames.CacheControl] = "no-cache";
        headers[HeaderNames.Vary] = HeaderNames.AcceptEncoding;
        if (AcceptsGzip(request))
        {
            headers[HeaderNames.ContentEncoding] = "gzip";
            return new FileContentResult(asset.Gzipped, asset.ContentType) { EntityTag = new EntityTagHeaderValue(asset.GzippedETag) };
        }
        return new FileContentResult(asset.Content, asset.ContentType) { EntityTag = new EntityTagHeaderValue(asset.ETag) };
    }
}
