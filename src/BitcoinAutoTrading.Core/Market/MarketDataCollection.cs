namespace BitcoinAutoTrading.Core.Market;

/// <summary>
/// What one collection run did: candles received, rows inserted or changed, the newest stored minute and its close
/// (the price the protective exits were checked against), and whether storage has reached the last closed minute.
/// </summary>
public sealed record MarketDataCollection(
    int Fetched, int Changed, DateTimeOffset? NewestMinute, decimal? LastClose, bool CaughtUp, bool ExitsChecked);
