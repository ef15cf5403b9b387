-- 0001: the whole schema of SPEC §3. Money and prices are numeric, times are UTC timestamptz.

CREATE TABLE market_data (
    id          bigserial      PRIMARY KEY,
    market      text           NOT NULL,
    ts          timestamptz    NOT NULL,
    open        numeric(20, 8) NOT NULL,
    high        numeric(20, 8) NOT NULL,
    low         numeric(20, 8) NOT NULL,
    close       numeric(20, 8) NOT NULL,
    volume      numeric(28, 8) NOT NULL,
    value_krw   numeric(28, 8) NOT NULL,
    CONSTRAINT uq_market_data_market_ts UNIQUE (market, ts),
    CONSTRAINT ck_market_data_prices_positive CHECK (open > 0 AND high > 0 AND low > 0 AND close > 0),
    CONSTRAINT ck_market_data_high_low CHECK (high >= low AND high >= open AND high >= close AND low <= open AND low <= close),
    CONSTRAINT ck_market_data_volume CHECK (volume >= 0 AND value_krw >= 0),
    CONSTRAINT ck_market_data_ts_minute CHECK (ts = date_trunc('minute', ts))
);
CREATE INDEX idx_market_data_market_ts ON market_data (market, ts DESC);

CREATE TABLE trading_signals (
    id                bigserial     PRIMARY KEY,
    market            text          NOT NULL,
    -- The last minute the signal saw; purging old minutes must not delete the signal.
    market_data_id    bigint        REFERENCES market_data (id) ON DELETE SET NULL,
    signal_type       text          NOT NULL,
    action_score      numeric(6, 4) NOT NULL,
    confidence        numeric(6, 4) NOT NULL,
    market_regime     text,
    reasoning         jsonb         NOT NULL DEFAULT '{}'::jsonb,
    provider          text          NOT NULL,
    model_name        text,
    is_fallback       boolean       NOT NULL DEFAULT false,
    input_tokens      integer,
    output_tokens     integer,
    thinking_tokens   integer,
    latency_ms        integer,
    prompt_chars      integer,
    price_at_signal   numeric(20, 8),
    execution_note    text,
    created_at        timestamptz   NOT NULL DEFAULT now(),
    -- Evaluation (SPEC §4.6)
    price_after_4h    numeric(20, 8),
    change_4h_pct     numeric(12, 6),
    correct_4h        boolean,
    evaluated_4h_at   timestamptz,
    price_after_24h   numeric(20, 8),
    change_24h_pct    numeric(12, 6),
    correct_24h       boolean,
    evaluated_24h_at  timestamptz,
    CONSTRAINT ck_trading_signals_type CHECK (signal_type IN ('BUY', 'SELL', 'HOLD')),
    CONSTRAINT ck_trading_signals_action_score CHECK (action_score BETWEEN -1 AND 1),
    CONSTRAINT ck_trading_signals_confidence CHECK (confidence BETWEEN 0 AND 1),
    CONSTRAINT ck_trading_signals_provider CHECK (provider IN ('gemini', 'technical')),
    CONSTRAINT ck_trading_signals_tokens CHECK (
        coalesce(input_tokens, 0) >= 0 AND coalesce(output_tokens, 0) >= 0 AND coalesce(thinking_tokens, 0) >= 0
        AND coalesce(latency_ms, 0) >= 0 AND coalesce(prompt_chars, 0) >= 0),
    CONSTRAINT ck_trading_signals_price CHECK (price_at_signal IS NULL OR price_at_signal > 0)
);
CREATE INDEX idx_signal_created_at ON trading_signals (created_at DESC);
CREATE INDEX idx_signal_market_data_id ON trading_signals (market_data_id);

CREATE TABLE orders (
    id                   bigserial      PRIMARY KEY,
    user_id              bigint         NOT NULL DEFAULT 1,
    signal_id            bigint         REFERENCES trading_signals (id) ON DELETE SET NULL,
    market               text           NOT NULL,
    side                 text           NOT NULL,
    ord_type             text           NOT NULL,
    requested_krw        numeric(20, 8),
    requested_volume     numeric(28, 8),
    limit_price          numeric(20, 8),
    identifier           text           NOT NULL,
    exchange_uuid        text,
    status               text           NOT NULL DEFAULT 'PENDING',
    executed_volume      numeric(28, 8) NOT NULL DEFAULT 0,
    executed_funds_krw   numeric(28, 8) NOT NULL DEFAULT 0,
    avg_price            numeric(20, 8),
    paid_fee             numeric(20, 8) NOT NULL DEFAULT 0,
    reason               text           NOT NULL,
    error                text,
    created_at           timestamptz    NOT NULL DEFAULT now(),
    submitted_at         timestamptz,
    finished_at          timestamptz,
    position_applied_at  timestamptz,
    CONSTRAINT uq_orders_identifier UNIQUE (identifier),
    CONSTRAINT uq_orders_exchange_uuid UNIQUE (exchange_uuid),
    CONSTRAINT ck_orders_side CHECK (side IN ('BUY', 'SELL')),
    CONSTRAINT ck_orders_ord_type CHECK (ord_type IN ('price', 'market', 'limit')),
    CONSTRAINT ck_orders_status CHECK (status IN ('PENDING', 'SUBMITTED', 'EXECUTED', 'PARTIALLY_EXECUTED', 'CANCELLED', 'FAILED')),
    CONSTRAINT ck_orders_reason CHECK (reason IN ('signal', 'stop_loss', 'take_profit', 'trailing_stop', 'manual')),
    CONSTRAINT ck_orders_amounts_positive CHECK (
        (requested_krw IS NULL OR requested_krw > 0) AND (requested_volume IS NULL OR requested_volume > 0)
        AND (limit_price IS NULL OR limit_price > 0) AND (avg_price IS NULL OR avg_price > 0)
        AND executed_volume >= 0 AND executed_funds_krw >= 0 AND paid_fee >= 0),
    -- Upbit's shapes: a market buy names KRW, a market sell names volume, a limit order names both price and volume.
    CONSTRAINT ck_orders_shape CHECK (
        (ord_type = 'price' AND side = 'BUY' AND requested_krw IS NOT NULL)
        OR (ord_type = 'market' AND side = 'SELL' AND requested_volume IS NOT NULL)
        OR (ord_type = 'limit' AND limit_price IS NOT NULL AND requested_volume IS NOT NULL))
);
CREATE INDEX idx_order_user_status ON orders (user_id, status);
CREATE INDEX idx_order_status_created ON orders (status, created_at DESC);
CREATE INDEX idx_order_created_at ON orders (created_at DESC);
-- At most one order in flight per market: the second guard behind the orchestration instance id.
CREATE UNIQUE INDEX uq_orders_one_active_per_market ON orders (market) WHERE status IN ('PENDING', 'SUBMITTED');

CREATE TABLE positions (
    market                  text           PRIMARY KEY,
    quantity                numeric(28, 8) NOT NULL DEFAULT 0,
    avg_entry_price         numeric(20, 8) NOT NULL DEFAULT 0,
    realized_pnl_krw        numeric(20, 8) NOT NULL DEFAULT 0,
    peak_price_since_entry  numeric(20, 8),
    opened_at               timestamptz,
    updated_at              timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT ck_positions_quantity CHECK (quantity >= 0),
    CONSTRAINT ck_positions_avg_entry CHECK (avg_entry_price >= 0),
    CONSTRAINT ck_positions_peak CHECK (peak_price_since_entry IS NULL OR peak_price_since_entry > 0)
);

CREATE TABLE daily_stats (
    trade_date           date           PRIMARY KEY,
    starting_equity_krw  numeric(20, 8) NOT NULL,
    ending_equity_krw    numeric(20, 8),
    realized_pnl_krw     numeric(20, 8) NOT NULL DEFAULT 0,
    trade_count          integer        NOT NULL DEFAULT 0,
    win_count            integer        NOT NULL DEFAULT 0,
    loss_count           integer        NOT NULL DEFAULT 0,
    is_halted            boolean        NOT NULL DEFAULT false,
    halt_reason          text,
    closed_at            timestamptz,
    updated_at           timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT ck_daily_stats_equity CHECK (starting_equity_krw >= 0 AND (ending_equity_krw IS NULL OR ending_equity_krw >= 0)),
    CONSTRAINT ck_daily_stats_counts CHECK (trade_count >= 0 AND win_count >= 0 AND loss_count >= 0 AND win_count + loss_count <= trade_count)
);

CREATE TABLE risk_events (
    id              bigserial      PRIMARY KEY,
    event_type      text           NOT NULL,
    order_id        bigint         REFERENCES orders (id) ON DELETE SET NULL,
    signal_id       bigint         REFERENCES trading_signals (id) ON DELETE SET NULL,
    trigger_value   numeric(20, 8),
    threshold_value numeric(20, 8),
    action_taken    text           NOT NULL,
    details         jsonb,
    created_at      timestamptz    NOT NULL DEFAULT now(),
    notified        boolean        NOT NULL DEFAULT false,
    CONSTRAINT ck_risk_events_type CHECK (event_type IN ('STOP_LOSS', 'TAKE_PROFIT', 'TRAILING_STOP', 'DAILY_LIMIT',
        'POSITION_LIMIT', 'VOLATILITY_HALT', 'LOW_CONFIDENCE', 'COOLDOWN', 'KILL_SWITCH', 'SYSTEM_ERROR'))
);
CREATE INDEX idx_risk_events_created_at ON risk_events (created_at DESC);
CREATE INDEX idx_risk_events_type_created ON risk_events (event_type, created_at DESC);

CREATE TABLE system_config (
    key         text        PRIMARY KEY,
    value       jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text
);

-- The paper exchange's ledger (SPEC §8.3) and the orders it knows, so a restart loses nothing.
CREATE TABLE paper_balances (
    currency       text           PRIMARY KEY,
    balance        numeric(28, 8) NOT NULL,
    locked         numeric(28, 8) NOT NULL DEFAULT 0,
    avg_buy_price  numeric(20, 8) NOT NULL DEFAULT 0,
    updated_at     timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT ck_paper_balances_non_negative CHECK (balance >= 0 AND locked >= 0 AND avg_buy_price >= 0)
);

CREATE TABLE paper_orders (
    uuid             uuid           PRIMARY KEY,
    identifier       text           NOT NULL,
    market           text           NOT NULL,
    side             text           NOT NULL,
    ord_type         text           NOT NULL,
    price            numeric(20, 8),
    volume           numeric(28, 8),
    state            text           NOT NULL,
    executed_volume  numeric(28, 8) NOT NULL DEFAULT 0,
    executed_funds   numeric(28, 8) NOT NULL DEFAULT 0,
    paid_fee         numeric(20, 8) NOT NULL DEFAULT 0,
    created_at       timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT uq_paper_orders_identifier UNIQUE (identifier),
    CONSTRAINT ck_paper_orders_side CHECK (side IN ('bid', 'ask')),
    CONSTRAINT ck_paper_orders_state CHECK (state IN ('wait', 'done', 'cancel'))
);

CREATE TABLE job_runs (
    id           bigserial   PRIMARY KEY,
    job          text        NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    outcome      text        NOT NULL DEFAULT 'running',
    attempts     integer     NOT NULL DEFAULT 0,
    is_past_due  boolean     NOT NULL DEFAULT false,
    error        text,
    CONSTRAINT ck_job_runs_outcome CHECK (outcome IN ('running', 'succeeded', 'failed')),
    CONSTRAINT ck_job_runs_attempts CHECK (attempts >= 0)
);
CREATE INDEX idx_job_runs_job_started ON job_runs (job, started_at DESC);
