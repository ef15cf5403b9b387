namespace BitcoinAutoTrading.Core.Market;

/// <summary>Whole UTC minutes and hours: the clock Upbit's candles, our minutes and our bars are aligned to.</summary>
public static class UtcTime
{
    /// <summary>The start of the UTC minute <paramref name="instant"/> falls in, at offset zero.</summary>
    public static DateTimeOffset FloorToMinute(DateTimeOffset instant) => Floor(instant, TimeSpan.TicksPerMinute);

    /// <summary>The start of the UTC hour <paramref name="instant"/> falls in, at offset zero.</summary>
    public static DateTimeOffset FloorToHour(DateTimeOffset instant) => Floor(instant, TimeSpan.TicksPerHour);

    private static DateTimeOffset Floor(DateTimeOffset instant, long unit) =>
        new(instant.UtcTicks - (instant.UtcTicks % unit), TimeSpan.Zero);
}
