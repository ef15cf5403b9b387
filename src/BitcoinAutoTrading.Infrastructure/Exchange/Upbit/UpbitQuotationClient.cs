using System.Globalization;
using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>Upbit's public market data (no keys): used by the live exchange and by the paper exchange alike.</summary>
internal sealed class UpbitQuotationClient(HttpClient http)
{
    /// <summary>Upbit returns at most 200 candles per request.</summary>
    public const int MaxCandles = 200;

    public async Task<Ticker> GetTickerAsync(string market, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/ticker?markets={Uri.EscapeDataString(market)}");
        var tickers = await UpbitHttp.SendAsync<List<UpbitTickerDto>>(http, request, cancellationToken).ConfigureAwait(false);
        var ticker = tickers.FirstOrDefault(t => string.Equals(t.Market, market, StringComparison.Ordinal))
            ?? throw new ExchangeRejectedException(404, "market_not_found", $"Upbit has no ticker for {market}.");
        return UpbitWireMapping.ToDomain(ticker);
    }

    /// <summary>Candles oldest first (Upbit sends newest first).</summary>
    public async Task<IReadOnlyList<Candle>> GetCandlesAsync(
        string market, CandleInterval interval, int count, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCandles);
        var query = $"market={Uri.EscapeDataString(market)}&count={count.ToString(CultureInfo.InvariantCulture)}";
        if (to is { } until)
        {
            query += "&to=" + Uri.EscapeDataString(until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/candles/{PathFor(interval)}?{query}");
        var candles = await UpbitHttp.SendAsync<List<UpbitCandleDto>>(http, request, cancellationToken).ConfigureAwait(false);
        return candles.Select(UpbitWireMapping.ToDomain).OrderBy(c => c.Start).ToList();
    }

    internal static string PathFor(CandleInterval interval) => interval switch
    {
        CandleInterval.Minute1 or CandleInterval.Minute5 or CandleInterval.Minute15 or CandleInterval.Hour1 or CandleInterval.Hour4
            => "minutes/" + ((int)interval).ToString(CultureInfo.InvariantCulture),
        CandleInterval.Day => "days",
        CandleInterval.Week => "weeks",
        _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unsupported candle interval."),
    };
}
