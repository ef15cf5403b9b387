-- 0007 (issue #16): what a signal needs to be replayed and trusted, the shadow model's rows, and the AI quota state.
-- Provenance: the SHA-256 of the exact prompt sent, the prompt as the debug log shows it (amounts masked, size-capped),
-- the response schema version, Gemini's modelVersion and responseId, and the raw response body (size-capped).
ALTER TABLE trading_signals
    ADD COLUMN prompt_sha256           text,
    ADD COLUMN prompt_text             text,
    ADD COLUMN response_schema_version integer,
    ADD COLUMN model_version           text,
    ADD COLUMN response_id             text,
    ADD COLUMN raw_response            text,
    -- Why the run did not ask the model (budget spent, per-day quota exhausted, ai_daily_budget_usd = 0).
    ADD COLUMN ai_skip_reason          text,
    -- A shadow row never trades; shadow_of_id is the primary signal of the same run, so the two compare run by run.
    ADD COLUMN is_shadow               boolean NOT NULL DEFAULT false,
    ADD COLUMN shadow_of_id            bigint REFERENCES trading_signals (id) ON DELETE SET NULL,
    ADD CONSTRAINT ck_trading_signals_shadow CHECK (is_shadow OR shadow_of_id IS NULL),
    ADD CONSTRAINT ck_trading_signals_prompt_sha256 CHECK (prompt_sha256 IS NULL OR prompt_sha256 ~ '^[0-9a-f]{64}$');

CREATE INDEX idx_signal_shadow_of_id ON trading_signals (shadow_of_id) WHERE shadow_of_id IS NOT NULL;
-- The hit-rate gate reads the newest evaluated primary BUY/SELL signals that could trade.
CREATE INDEX idx_signal_gate_evaluated ON trading_signals (created_at DESC)
    WHERE NOT is_shadow AND NOT is_fallback AND signal_type <> 'HOLD' AND evaluated_4h_at IS NOT NULL;

-- A per-day quota error stops calls to that model until blocked_until, on every instance (the app scales out).
CREATE TABLE ai_quota_blocks (
    provider      text        NOT NULL,
    model         text        NOT NULL,
    blocked_until timestamptz NOT NULL,
    reason        text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, model)
);

-- The hit-rate gate's last announced state (one row), so its pause and its recovery are each notified once.
CREATE TABLE signal_quality_gate (
    id         smallint    PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    paused     boolean     NOT NULL,
    hit_rate   numeric(6, 4),
    sample     integer     NOT NULL,
    changed_at timestamptz NOT NULL
);
