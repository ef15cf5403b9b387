namespace BitcoinAutoTrading.Core.Market;

/// <summary>
/// Upbit's trading day and our daily statistics follow Korea Standard Time (UTC+9, no daylight saving),
/// so the offset is fixed rather than looked up in a time-zone database the host may lack.
/// </summary>
public static class KstClock
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateOnly TradingDay(DateTimeOffset instant) =>
        DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The UTC instant at which the given KST day begins.</summary>
    public static DateTimeOffset StartOfDayUtc(DateOnly kstDay) =>
        new DateTimeOffset(kstDay.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();
}
