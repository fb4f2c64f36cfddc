-- Model lifecycle commands sent to gpu-agents (fleet.commands.v1) and where each stands, from the agents' answers
-- (fleet.command-results.v1). A row is written before the command is published, so an answer always finds it.
CREATE TABLE fleet_commands (
    command_id      TEXT PRIMARY KEY,
    idempotency_key TEXT UNIQUE,
    host_id         TEXT        NOT NULL,
    action          TEXT        NOT NULL,
    model           TEXT        NOT NULL,
    server_url      TEXT,
    keep_alive      TEXT,
    requested_by    TEXT        NOT NULL,
    requested_at    TIMESTAMPTZ NOT NULL,
    status          TEXT        NOT NULL,
    message         TEXT,
    error           TEXT,
    completed_bytes BIGINT,
    total_bytes     BIGINT,
    progress_ratio  DOUBLE PRECISION,
    updated_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ
);

CREATE INDEX fleet_commands_by_host ON fleet_commands (host_id, requested_at DESC);
