-- 0006: candle rollups (SPEC §16). Reads of the past (the prompt sample, market stats, history at a resolution, the
-- dashboard, backtests) cost the bars they return instead of every minute of their window.
--
-- One table with a resolution column rather than one table per resolution: the collector's upsert re-aggregates all
-- three resolutions in one statement, purge and the readers differ only in a constant, and a new resolution would be a
-- value, not a table. The primary key (market, resolution, ts) is the only index every reader needs: a range of one
-- market's bars at one resolution. It carries no INCLUDE columns so that rewriting the forming bar every minute stays
-- a HOT update (no index entry changes).
--
-- A bar aggregates the stored minutes of its clock-aligned bucket [ts, ts + resolution): open of the first minute,
-- close of the last, extremes, exact numeric sums and how many minutes it holds. Buckets are aligned to UTC (the origin
-- below; KST is a whole number of hours away, so hours are KST hours too). Hourly bars outlive the minutes
-- (MarketData:HourlyBarRetentionDays); 5 m and 15 m bars are purged with their minutes.
CREATE TABLE market_bars (
    market      text           NOT NULL,
    resolution  smallint       NOT NULL,
    ts          timestamptz    NOT NULL,
    open        numeric(20, 8) NOT NULL,
    high        numeric(20, 8) NOT NULL,
    low         numeric(20, 8) NOT NULL,
    close       numeric(20, 8) NOT NULL,
    volume      numeric(28, 8) NOT NULL,
    value_krw   numeric(28, 8) NOT NULL,
    minutes     smallint       NOT NULL,
    CONSTRAINT pk_market_bars PRIMARY KEY (market, resolution, ts),
    CONSTRAINT ck_market_bars_resolution CHECK (resolution IN (5, 15, 60)),
    CONSTRAINT ck_market_bars_aligned CHECK (ts = date_bin(resolution * interval '1 minute', ts, timestamptz '2000-01-01 00:00:00+00')),
    CONSTRAINT ck_market_bars_minutes CHECK (minutes BETWEEN 1 AND resolution),
    CONSTRAINT ck_market_bars_high_low CHECK (high >= low AND high >= open AND high >= close AND low <= open AND low <= close)
);

-- Build the bars from the minutes already stored, in one pass per resolution.
INSERT INTO market_bars (market, resolution, ts, open, high, low, close, volume, value_krw, minutes)
SELECT m.market, r.resolution, date_bin(r.resolution * interval '1 minute', m.ts, timestamptz '2000-01-01 00:00:00+00'),
       (array_agg(m.open ORDER BY m.ts))[1], max(m.high), min(m.low), (array_agg(m.close ORDER BY m.ts DESC))[1],
       sum(m.volume), sum(m.value_krw), count(*)
FROM market_data m
CROSS JOIN (VALUES (5::smallint), (15::smallint), (60::smallint)) AS r(resolution)
GROUP BY m.market, r.resolution, date_bin(r.resolution * interval '1 minute', m.ts, timestamptz '2000-01-01 00:00:00+00');
