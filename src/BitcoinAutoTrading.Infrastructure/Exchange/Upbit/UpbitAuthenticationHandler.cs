using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// Signs each attempt just before it leaves, so every retry carries a fresh nonce and the hash is computed over
/// exactly what is sent: the URL's query string, or for a JSON body its fields as <c>k=v&amp;…</c> in body order.
/// </summary>
internal sealed class UpbitAuthenticationHandler(IOptions<UpbitOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.AccessKey) || string.IsNullOrEmpty(settings.SecretKey))
        {
            throw new InvalidOperationException(
                "Upbit:AccessKey and Upbit:SecretKey are required for Upbit's exchange (account and order) endpoints.");
        }

        var queryString = request.Content is null
            ? request.RequestUri?.Query.TrimStart('?')
            : BodyAsQueryString(await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var token = UpbitJwt.Create(settings.AccessKey, settings.SecretKey, queryString, Guid.NewGuid());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The JSON object's fields as Upbit hashes them: <c>k=v</c> joined by <c>&amp;</c>, in the order written.</summary>
    internal static string BodyAsQueryString(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return "";
        }
        using var document = JsonDocument.Parse(json);
        var pairs = document.RootElement.EnumerateObject().Select(p => p.Name + "=" + (p.Value.ValueKind == JsonValueKind.String
            ? p.Value.GetString()
            : p.Value.GetRawText()));
        return string.Join('&', pairs);
    }
}
