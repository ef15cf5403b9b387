using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>Section <c>Upbit</c>. The keys are needed only in <c>Trading:Mode=Live</c>; never log them.</summary>
public sealed class UpbitOptions
{
    public const string Section = "Upbit";

    [Required]
    [Url]
    public string BaseUrl { get; set; } = "https://api.upbit.com";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Upbit allows 10/s per IP for quotation (market data) endpoints.</summary>
    [Range(1, 1000)]
    public int QuotationRequestsPerSecond { get; set; } = 10;

    /// <summary>The exchange API's <c>default</c> group: accounts, order lookups, cancels.</summary>
    [Range(1, 1000)]
    public int ExchangeRequestsPerSecond { get; set; } = 30;

    /// <summary>The <c>order</c> group (POST /v1/orders). Upbit raised this to 12/s in 2026; 8 is the safe default.</summary>
    [Range(1, 1000)]
    public int OrderRequestsPerSecond { get; set; } = 8;

    /// <summary>
    /// How many requests per second each client-side budget stays under Upbit's limit, so clock and network jitter
    /// cannot push a second over it (10/s quotation → 9 sent in any rolling second).
    /// </summary>
    [Range(0, 100)]
    public int RequestsPerSecondSafetyMargin { get; set; } = 1;

    /// <summary>One attempt's time limit; an order POST that exceeds it is looked up by identifier, never re-sent blindly.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a failed GET (5xx, 429, timeout, connection failure).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay when the exchange gives no Retry-After; doubles each retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest Retry-After we wait inside one call; beyond it the call fails and the caller retries later.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to stop calling after a 418 that names no duration.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DefaultBlockDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>POSTs of one order after lost responses, each preceded by a lookup by identifier.</summary>
    [Range(1, 10)]
    public int MaxOrderSubmitAttempts { get; set; } = 3;
}
