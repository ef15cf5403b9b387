using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Core.Market;

/// <summary>Collection and retention of minute data and its rollups (section <c>MarketData</c>).</summary>
public sealed class MarketDataOptions : IValidatableObject
{
    public const string Section = "MarketData";

    /// <summary>Upbit's largest page of candles per request.</summary>
    public const int MaxBackfillLimit = 200;

    /// <summary>Minutes older than this are purged daily (SPEC §3: 365 days).</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 365;

    /// <summary>Candles fetched per collection run; a bigger gap is closed over successive runs.</summary>
    [Range(1, MaxBackfillLimit)]
    public int BackfillLimit { get; set; } = MaxBackfillLimit;

    /// <summary>
    /// Hourly bars older than this are purged daily (SPEC §16: 5 years, 1,826 days); they outlive the minutes so long
    /// charts and backtests keep their history. The 5 m and 15 m bars go with their minutes.
    /// </summary>
    [Range(1, 36500)]
    public int HourlyBarRetentionDays { get; set; } = 1826;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Readers take whole hours from hourly bars wherever minutes exist; an hourly bar must never go before its minutes.
        if (HourlyBarRetentionDays < RetentionDays)
        {
            yield return new ValidationResult(
                $"{nameof(HourlyBarRetentionDays)} ({HourlyBarRetentionDays}) must be at least {nameof(RetentionDays)} ({RetentionDays}).",
                [nameof(HourlyBarRetentionDays)]);
        }
    }
}
