-- 0004: the per-bin aggregates of the prompt sampling query (and market stats' first/last lookups) read only
-- these columns; carrying them in the index lets PostgreSQL answer from the index alone (index-only scans, once
-- autovacuum has set the visibility map) instead of visiting one heap page per minute.
CREATE INDEX idx_market_data_market_ts_covering ON market_data (market, ts) INCLUDE (open, high, low, close, volume, value_krw);
