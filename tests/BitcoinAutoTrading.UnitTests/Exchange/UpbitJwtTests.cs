using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

namespace BitcoinAutoTrading.UnitTests.Exchange;

public sealed class UpbitJwtTests
{
    private const string Secret = "secret-key";

    [Fact]
    public void Create_WithQuery_SignedHs512WithSecretBytesAndHashesQuery()
    {
        var nonce = Guid.NewGuid();

        var token = UpbitJwt.Create("access", Secret, "market=KRW-BTC", nonce);

        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var expectedSignature = HMACSHA512.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(expectedSignature, Decode(parts[2]));
        using var header = JsonDocument.Parse(Decode(parts[0]));
        Assert.Equal("HS512", header.RootElement.GetProperty("alg").GetString());
        using var payload = JsonDocument.Parse(Decode(parts[1]));
        Assert.Equal("access", payload.RootElement.GetProperty("access_key").GetString());
        Assert.Equal(nonce.ToString(), payload.RootElement.GetProperty("nonce").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData("market=KRW-BTC"u8.ToArray())), payload.RootElement.GetProperty("query_hash").GetString());
        Assert.Equal("SHA512", payload.RootElement.GetProperty("query_hash_alg").GetString());
    }

    [Fact]
    public void Create_WithoutQuery_HasNoQueryHash()
    {
        var token = UpbitJwt.Create("access", Secret, null, Guid.NewGuid());

        using var payload = JsonDocument.Parse(Decode(token.Split('.')[1]));
        Assert.False(payload.RootElement.TryGetProperty("query_hash", out _));
    }

    [Fact]
    public void BodyAsQueryString_JsonBody_FieldsInBodyOrderWithRawValues()
    {
        var query = UpbitAuthenticationHandler.BodyAsQueryString(
            """{"market":"KRW-BTC","side":"bid","price":"10000","ord_type":"price","identifier":"a+b"}""");

        Assert.Equal("market=KRW-BTC&side=bid&price=10000&ord_type=price&identifier=a+b", query);
    }

    private static byte[] Decode(string segment)
    {
        var base64 = segment.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
