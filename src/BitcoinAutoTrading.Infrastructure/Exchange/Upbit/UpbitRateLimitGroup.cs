namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>Upbit counts requests per group; which group a request falls in follows from its method and path.</summary>
internal static class UpbitRateLimitGroup
{
    public const string Quotation = "quotation";
    public const string Default = "default";
    public const string Order = "order";

    public static string For(HttpRequestMessage request)
    {
        var path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri?.OriginalString ?? "";
        if (path.Contains("/v1/ticker", StringComparison.Ordinal) || path.Contains("/v1/candles", StringComparison.Ordinal))
        {
            return Quotation;
        }
        return request.Method == HttpMethod.Post && path.EndsWith("/v1/orders", StringComparison.Ordinal) ? Order : Default;
    }
}
