namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// Upbit counts requests per group. Our client-side budgets are per family (quotation 10/s per IP, exchange default
/// 30/s, order 8/s); the <c>Remaining-Req</c> header names the server's own, finer group (<c>ticker</c>, <c>candles</c>,
/// <c>default</c>, <c>order</c>, …), which is what a <c>sec=0</c> must be looked up under.
/// </summary>
internal static class UpbitRateLimitGroup
{
    public const string Quotation = "quotation";
    public const string Default = "default";
    public const string Order = "order";

    /// <summary>Which client-side budget a request spends.</summary>
    public static string For(HttpRequestMessage request)
    {
        var path = PathOf(request);
        if (path.Contains("/v1/ticker", StringComparison.Ordinal) || path.Contains("/v1/candles", StringComparison.Ordinal))
        {
            return Quotation;
        }
        return request.Method == HttpMethod.Post && path.EndsWith("/v1/orders", StringComparison.Ordinal) ? Order : Default;
    }

    /// <summary>Method and path without the query: requests to one route share the server's group.</summary>
    public static string RouteOf(HttpRequestMessage request) => $"{request.Method.Method} {PathOf(request)}";

    /// <summary>The server group Upbit documents for a route, used until a response has named it.</summary>
    public static string ExpectedServerGroup(HttpRequestMessage request)
    {
        var path = PathOf(request);
        if (path.Contains("/v1/ticker", StringComparison.Ordinal))
        {
            return "ticker";
        }
        if (path.Contains("/v1/candles", StringComparison.Ordinal))
        {
            return "candles";
        }
        return For(request) == Order ? "order" : "default";
    }

    private static string PathOf(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri?.OriginalString.Split('?')[0] ?? "";
}
