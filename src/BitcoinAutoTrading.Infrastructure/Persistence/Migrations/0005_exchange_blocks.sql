-- 0005: a 418 block from Upbit applies to the app's IP, so to every instance: it is stored here with its expiry and
-- every instance checks it before calling Upbit (SPEC §8.1). One row per exchange endpoint (scope); an expired row is
-- simply ignored and overwritten by the next block.
CREATE TABLE exchange_blocks (
    scope          text        PRIMARY KEY,
    blocked_until  timestamptz NOT NULL,
    reason         text        NOT NULL,
    recorded_at    timestamptz NOT NULL
);
