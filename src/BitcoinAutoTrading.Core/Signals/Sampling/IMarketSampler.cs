namespace BitcoinAutoTrading.Core.Signals.Sampling;

/// <summary>Samples stored minute data into long/mid/short buckets in the database, in one round trip.</summary>
public interface IMarketSampler
{
    /// <summary>Buckets the minutes of <paramref name="market"/> up to and including <paramref name="asOf"/>.</summary>
    Task<MarketSample> SampleAsync(string market, DateTimeOffset asOf, CancellationToken cancellationToken = default);
}
