-- The usage ledger: one row per llm.usage.v1 envelope, append-only, partitioned by the month received.
CREATE TABLE usage_records (
    id                     UUID             NOT NULL,
    kafka_partition        INTEGER          NOT NULL,
    kafka_offset           BIGINT           NOT NULL,
    received_at            TIMESTAMPTZ      NOT NULL,
    event_time             TIMESTAMPTZ      NOT NULL,
    source                 TEXT             NOT NULL,
    request_id             TEXT             NOT NULL,
    key_id                 TEXT             NOT NULL,
    tenant                 TEXT             NOT NULL,
    model                  TEXT             NOT NULL,
    server_id              TEXT,
    endpoint               TEXT             NOT NULL,
    stream                 BOOLEAN          NOT NULL,
    prompt_tokens          INTEGER          NOT NULL,
    completion_tokens      INTEGER          NOT NULL,
    time_to_first_token_ms DOUBLE PRECISION,
    duration_ms            DOUBLE PRECISION NOT NULL,
    status                 TEXT             NOT NULL,
    http_status            INTEGER          NOT NULL,
    error_type             TEXT,
    started_at             TIMESTAMPTZ      NOT NULL
) PARTITION BY RANGE (received_at);

CREATE INDEX usage_records_started_at ON usage_records (started_at);

CREATE TRIGGER usage_records_append_only BEFORE UPDATE OR DELETE ON usage_records
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER usage_records_no_truncate BEFORE TRUNCATE ON usage_records
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
