using System.Text;
using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>Upbit's private endpoints (accounts, orders). Signing is done by <see cref="UpbitAuthenticationHandler"/>.</summary>
internal sealed class UpbitExchangeClient(HttpClient http)
{
    public async Task<IReadOnlyList<UpbitAccountDto>> GetAccountsAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/accounts");
        return await UpbitHttp.SendAsync<List<UpbitAccountDto>>(http, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UpbitChanceDto> GetChanceAsync(string market, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/orders/chance?market={Uri.EscapeDataString(market)}");
        return await UpbitHttp.SendAsync<UpbitChanceDto>(http, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UpbitOrderDto?> GetOrderAsync(string key, string value, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/order?{key}={Uri.EscapeDataString(value)}");
        return await UpbitHttp.SendOrNullAsync<UpbitOrderDto>(http, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POSTs the order once. The body's field order is the order the query hash is computed in.</summary>
    public async Task<UpbitOrderDto> PostOrderAsync(IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/orders")
        {
            Content = new StringContent(ToJson(fields), Encoding.UTF8, "application/json"),
        };
        return await UpbitHttp.SendAsync<UpbitOrderDto>(http, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UpbitOrderDto> CancelOrderAsync(string uuid, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"v1/order?uuid={Uri.EscapeDataString(uuid)}");
        return await UpbitHttp.SendAsync<UpbitOrderDto>(http, request, cancellationToken).ConfigureAwait(false);
    }

    private static string ToJson(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in fields)
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
