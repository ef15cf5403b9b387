using BitcoinAutoTrading.Infrastructure.Observability;
using Microsoft.Extensions.Configuration;

namespace BitcoinAutoTrading.UnitTests.Observability;

public sealed class SecretRedactorTests
{
    private const string AccessKey = "upbit-access-key-0123456789";
    private const string SecretKey = "upbit-secret-key-abcdefghijkl";
    private const string GeminiKey = "AIzaSyFakeGeminiKey0123456789";
    private const string Webhook = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX";
    private const string DbPassword = "db-password-s3cret!";

    private static SecretRedactor FromSettings() => SecretRedactor.FromConfiguration(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Upbit:AccessKey"] = AccessKey,
            ["Upbit:SecretKey"] = SecretKey,
            ["Gemini:ApiKey"] = GeminiKey,
            ["Slack:WebhookUrl"] = Webhook,
            ["ConnectionStrings:Postgres"] = $"Host=db;Username=app;Password={DbPassword};Database=bat",
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-1111-2222-3333-444444444444;IngestionEndpoint=https://x",
        })
        .Build());

    [Theory]
    [InlineData(AccessKey)]
    [InlineData(SecretKey)]
    [InlineData(GeminiKey)]
    [InlineData(Webhook)]
    [InlineData(DbPassword)]
    [InlineData("00000000-1111-2222-3333-444444444444")]
    public void Redact_ConfiguredSecretInText_IsReplaced(string secret)
    {
        var redacted = FromSettings().Redact($"before {secret} after");

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Equal($"before {SecretRedactor.Marker} after", redacted);
    }

    [Fact]
    public void Redact_JwtAndBearerToken_AreReplacedWithoutConfiguration()
    {
        var redactor = new SecretRedactor([]);
        const string jwt = "eyJhbGciOiJIUzUxMiJ9.eyJhY2Nlc3Nfa2V5IjoiYWJjIn0.c2lnbmF0dXJlLXZhbHVl";

        Assert.DoesNotContain(jwt, redactor.Redact($"token={jwt}"), StringComparison.Ordinal);
        Assert.Equal("Authorization: Bearer [REDACTED]", redactor.Redact("Authorization: Bearer abcdefgh12345678"));
    }

    [Fact]
    public void Redact_TextWithoutSecrets_IsUnchanged()
    {
        const string text = "Order 42 executed 0.001 BTC at 95,000,000 KRW";

        Assert.Same(text, FromSettings().Redact(text));
    }

    [Fact]
    public void FromConfiguration_ShortOrMissingValues_AreNotTreatedAsSecrets()
    {
        var redactor = SecretRedactor.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gemini:ApiKey"] = "abc" })
            .Build());

        Assert.False(redactor.HasSecrets);
        Assert.Equal("abc and abcd", redactor.Redact("abc and abcd"));
    }
}
