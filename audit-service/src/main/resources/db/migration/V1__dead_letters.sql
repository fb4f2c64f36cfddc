-- Events that could not be ingested, kept byte for byte with the reason, so the consumer never stops on them.
CREATE TABLE dead_letters (
    id          BIGSERIAL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    partition   INTEGER     NOT NULL,
    record_offset BIGINT    NOT NULL,
    raw         BYTEA       NOT NULL,
    reason      TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (topic, partition, record_offset)
);
