using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Observability;

/// <summary>
/// Replaces every configured secret (Upbit keys, Gemini key, Slack webhook URL, the database password, the
/// Application Insights key) and anything shaped like a JWT or bearer token with a marker. Applied to every log line
/// and span attribute as a last line of defence (SPEC §9, R7): code should never log a secret in the first place.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Marker = "[REDACTED]";

    // Secrets shorter than this are not matched as plain text: replacing "1" or "abc" everywhere would garble logs.
    private const int MinimumSecretLength = 8;

    private static readonly string[] SecretKeys =
    [
        "Upbit:AccessKey", "Upbit:SecretKey", "Gemini:ApiKey", "Slack:WebhookUrl",
    ];

    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string?> secrets)
    {
        _secrets = secrets
            .Where(s => !string.IsNullOrWhiteSpace(s) && s.Length >= MinimumSecretLength)
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length) // longest first, so a secret containing another is replaced whole
            .ToArray();
    }

    public static SecretRedactor FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secrets = SecretKeys.Select(key => configuration[key]).ToList();
        secrets.Add(DatabasePassword(configuration.GetConnectionString("Postgres")));
        secrets.Add(InstrumentationKey(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]));
        return new SecretRedactor(secrets);
    }

    public bool HasSecrets => _secrets.Length > 0;

    public string Redact(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }
        var result = value;
        foreach (var secret in _secrets)
        {
            if (result.Contains(secret, StringComparison.Ordinal))
            {
                result = result.Replace(secret, Marker, StringComparison.Ordinal);
            }
        }
        result = JwtPattern().Replace(result, Marker);
        return BearerPattern().Replace(result, "Bearer " + Marker);
    }

    public object? Redact(object? value) => value is string text ? Redact(text) : value;

    private static string? DatabasePassword(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).Password;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? InstrumentationKey(string? connectionString) =>
        connectionString?.Split(';')
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0].Trim().Equals("InstrumentationKey", StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv[1].Trim())
            .FirstOrDefault();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex JwtPattern();

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9._~+/=-]{8,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();
}
