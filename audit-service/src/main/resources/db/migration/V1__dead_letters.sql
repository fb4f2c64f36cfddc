-- Records that could not be ingested, kept byte for byte with the reason, so the consumer never stops on them.
-- One row per Kafka record: a redelivered record is not stored twice.
CREATE TABLE dead_letters (
    id            BIGSERIAL PRIMARY KEY,
    topic         TEXT        NOT NULL,
    partition     INTEGER     NOT NULL,
    record_offset BIGINT      NOT NULL,
    record_key    BYTEA,
    raw           BYTEA,
    reason        TEXT        NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (topic, partition, record_offset)
);
