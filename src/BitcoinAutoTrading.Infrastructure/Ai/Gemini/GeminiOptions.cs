using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Infrastructure.Ai.Gemini;

/// <summary>Section <c>Gemini</c>. Without an <see cref="ApiKey"/> the app runs on the technical provider alone.</summary>
public sealed class GeminiOptions
{
    public const string Section = "Gemini";

    /// <summary>Sent only in the <c>x-goog-api-key</c> header; never logged, never in a URL.</summary>
    public string? ApiKey { get; set; }

    [Required]
    [RegularExpression(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", ErrorMessage = "Gemini:Model must be a plain model name such as gemini-2.5-flash.")]
    public string Model { get; set; } = "gemini-2.5-flash";

    [Required]
    [Url]
    public string BaseUrl { get; set; } = "https://generativelanguage.googleapis.com";

    /// <summary>Per attempt, not for the whole call.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Attempts in all, the first one included (SPEC §4.4: give up after 3).</summary>
    [Range(1, 5)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First backoff step when neither Retry-After nor RetryInfo says how long to wait; doubles per attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A told wait longer than this is not honoured by waiting: the call gives up and the technical fallback runs.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    [Range(0.0, 2.0)]
    public double Temperature { get; set; } = 0.2;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);
}
