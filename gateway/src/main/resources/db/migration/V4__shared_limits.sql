-- Per-minute RPM and TPM limits shared by every gateway replica. A replica takes a small slice of a key's allowance for
-- the current UTC minute (window_minute: minutes since the epoch) by adding it to `granted`, never beyond the key's
-- limit, and admits requests from its slice in memory; the table holds what the replicas together were given.
CREATE TABLE key_limit_windows (
    key_id        UUID   NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    kind          TEXT   NOT NULL CHECK (kind IN ('rpm', 'tpm')),
    window_minute BIGINT NOT NULL,
    granted       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, kind, window_minute)
);

-- The live gateway replicas: each writes its row every 2 s and removes it when it stops; a row older than 6 s is a
-- replica gone. A key's max_concurrent is divided among the live replicas.
CREATE TABLE replicas (
    replica_id TEXT PRIMARY KEY,
    seen_at    TIMESTAMPTZ NOT NULL
);
