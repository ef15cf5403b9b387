-- Issue 13: every `bat backtest` run is kept with its settings and report, served by GET /api/backtests[/{id}].
CREATE TABLE backtest_runs (
    id                bigserial     PRIMARY KEY,
    market            text          NOT NULL,
    from_ts           timestamptz   NOT NULL,
    to_ts             timestamptz   NOT NULL,
    provider          text          NOT NULL,
    settings          jsonb         NOT NULL,
    options           jsonb         NOT NULL,
    report            jsonb         NOT NULL,
    total_return_pct  numeric(20, 6) NOT NULL,
    buy_hold_return_pct numeric(20, 6) NOT NULL,
    max_drawdown_pct  numeric(20, 6) NOT NULL,
    sharpe            numeric(20, 6) NOT NULL,
    trade_count       integer       NOT NULL,
    created_at        timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT ck_backtest_runs_range CHECK (to_ts > from_ts),
    CONSTRAINT ck_backtest_runs_provider CHECK (provider IN ('technical', 'recorded'))
);
CREATE INDEX idx_backtest_runs_created_at ON backtest_runs (created_at DESC, id DESC);
