-- The backup catalog: one row per run, its manifest once written, and the outcome of its latest verification.
CREATE TABLE backup_runs (
    id            TEXT PRIMARY KEY,
    components    TEXT[]      NOT NULL,
    target        TEXT        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    manifest      JSONB,
    error         TEXT,
    verify_status TEXT CHECK (verify_status IS NULL OR verify_status IN ('passed', 'failed')),
    verified_at   TIMESTAMPTZ
);
CREATE INDEX backup_runs_started_idx ON backup_runs (started_at DESC);
