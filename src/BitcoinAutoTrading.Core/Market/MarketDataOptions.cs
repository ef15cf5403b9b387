using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Core.Market;

/// <summary>Collection and retention of minute data (section <c>MarketData</c>).</summary>
public sealed class MarketDataOptions
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
}
