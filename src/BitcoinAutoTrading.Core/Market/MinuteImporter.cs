using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Market;

/// <summary>Progress of an import after each page.</summary>
public sealed record ImportProgress(int PagesDone, int PagesTotal, int Fetched, int Written, int PagesSkipped, TimeSpan Elapsed)
{
    public TimeSpan? Eta => PagesDone == 0 ? null : Elapsed / PagesDone * (PagesTotal - PagesDone);
}

/// <summary>What an import did.</summary>
public sealed record ImportSummary(
    int Pages, int PagesFetched, int PagesSkipped, int Fetched, int Written, int AlreadyStored, int MissingAtExchange, TimeSpan Elapsed);

/// <summary>
/// <c>bat import</c>: pages Upbit's public minute candles over [from, to), 200 per request walking back with <c>to=</c>,
/// into <c>market_data</c> through the collector's idempotent upsert. Pages whose minutes are all stored are skipped
/// without a request, so an interrupted import resumes where it stopped; the quotation client's limiter keeps the pace
/// within Upbit's rate limit.
/// </summary>
public sealed class MinuteImporter(IExchange exchange, IMarketDataRepository repository)
{
    public const int PageSize = 200;

    public async Task<ImportSummary> ImportAsync(
        string market, DateTimeOffset from, DateTimeOffset to, IReadOnlySet<DateTimeOffset> stored,
        Action<ImportProgress>? progress = null, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(market);
        ArgumentNullException.ThrowIfNull(stored);
        clock ??= TimeProvider.System;
        var started = clock.GetTimestamp();
        from = UtcTime.FloorToMinute(from);
        to = UtcTime.FloorToMinute(to);
        var totalMinutes = (int)((to - from).Ticks / TimeSpan.TicksPerMinute);
        var pages = (totalMinutes + PageSize - 1) / PageSize;
        int done = 0, fetchedPages = 0, skipped = 0, fetched = 0, written = 0, already = 0, missing = 0;
        for (var pageEnd = to; pageEnd > from; pageEnd -= TimeSpan.FromMinutes(PageSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pageStart = pageEnd - TimeSpan.FromMinutes(PageSize) < from ? from : pageEnd - TimeSpan.FromMinutes(PageSize);
            var count = (int)((pageEnd - pageStart).Ticks / TimeSpan.TicksPerMinute);
            var storedInPage = 0;
            for (var m = pageStart; m < pageEnd; m = m.AddMinutes(1))
            {
                if (stored.Contains(m))
                {
                    storedInPage++;
                }
            }
            if (storedInPage == count)
            {
                skipped++;
                already += count;
            }
            else
            {
                var candles = (await exchange.GetCandlesAsync(market, CandleInterval.Minute1, count, pageEnd, cancellationToken).ConfigureAwait(false))
                    .Where(c => c.Start >= pageStart && c.Start < pageEnd)
                    .OrderBy(c => c.Start)
                    .ToList();
                fetchedPages++;
                fetched += candles.Count;
                written += candles.Count == 0 ? 0 : await repository.UpsertMinutesAsync(candles, cancellationToken).ConfigureAwait(false);
                already += storedInPage;
                // Minutes without trades have no candle at Upbit: counted, never invented.
                missing += count - candles.Count;
            }
            done++;
            progress?.Invoke(new ImportProgress(done, pages, fetched, written, skipped, clock.GetElapsedTime(started)));
        }
        return new ImportSummary(pages, fetchedPages, skipped, fetched, written, already, missing, clock.GetElapsedTime(started));
    }
}
