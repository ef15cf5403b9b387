using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// Upbit's request token: a JWT signed HS512 with the secret key's raw UTF-8 bytes, carrying <c>access_key</c>,
/// a fresh <c>nonce</c> and, when the request has parameters, the SHA-512 of exactly the query string sent.
/// Written by hand because it is three base64url segments and one HMAC; a JWT library adds nothing here.
/// </summary>
internal static class UpbitJwt
{
    // {"alg":"HS512","typ":"JWT"}, fixed for every token.
    private static readonly string EncodedHeader = Base64Url("""{"alg":"HS512","typ":"JWT"}"""u8);

    public static string Create(string accessKey, string secretKey, string? queryString, Guid nonce)
    {
        using var payload = new MemoryStream();
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("access_key", accessKey);
            writer.WriteString("nonce", nonce.ToString());
            if (!string.IsNullOrEmpty(queryString))
            {
                writer.WriteString("query_hash", QueryHash(queryString));
                writer.WriteString("query_hash_alg", "SHA512");
            }
            writer.WriteEndObject();
        }

        var signingInput = EncodedHeader + "." + Base64Url(payload.ToArray());
        var signature = HMACSHA512.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>Lowercase hex SHA-512 of the query string, as Upbit recomputes it from what it received.</summary>
    public static string QueryHash(string queryString) =>
        Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(queryString)));

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
