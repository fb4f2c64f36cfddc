-- The audit trail: append-only, partitioned by the month the service received each event (so that retention drops a
-- prefix of every chain), one SHA-256 hash chain per Kafka partition of audit.events.v1.
CREATE TABLE events (
    id              UUID        NOT NULL,
    chain           INTEGER     NOT NULL,
    seq             BIGINT      NOT NULL,
    kafka_offset    BIGINT      NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL,
    event_time      TIMESTAMPTZ NOT NULL,
    type            TEXT        NOT NULL,
    source          TEXT        NOT NULL,
    subject         TEXT,
    datacontenttype TEXT,
    actor           TEXT        NOT NULL,
    actor_type      TEXT        NOT NULL,
    tenant          TEXT        NOT NULL,
    action          TEXT        NOT NULL,
    resource_type   TEXT        NOT NULL,
    resource_id     TEXT        NOT NULL,
    outcome         TEXT        NOT NULL,
    reason          TEXT,
    request_id      TEXT,
    client_address  TEXT,
    details         JSONB       NOT NULL,
    prev_hash       BYTEA       NOT NULL,
    hash            BYTEA       NOT NULL
) PARTITION BY RANGE (received_at);

-- verification walks each chain in seq order; queries are newest first with keyset pagination on (event_time, id)
CREATE INDEX events_chain_seq ON events (chain, seq);
CREATE INDEX events_time_id ON events (event_time DESC, id DESC);
CREATE INDEX events_tenant_time ON events (tenant, event_time DESC);
CREATE INDEX events_actor_time ON events (actor, event_time DESC);
CREATE INDEX events_resource_time ON events (resource_type, resource_id, event_time DESC);
CREATE INDEX events_request_id ON events (request_id) WHERE request_id IS NOT NULL;

-- Nothing may change or remove an ingested event; retention drops whole partitions (DROP TABLE fires no trigger).
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on %.% is refused: the audit trail is append-only; retention removes whole partitions only',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The last link of each chain; locked FOR UPDATE by the writer, so two consumers can never fork a chain.
CREATE TABLE chain_heads (
    chain      INTEGER PRIMARY KEY,
    last_seq   BIGINT      NOT NULL,
    last_hash  BYTEA       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The next Kafka offset to ingest per partition, committed in the same transaction as the rows: the database, not
-- the consumer group, is the source of truth, so a crash between the database commit and the Kafka commit loses
-- nothing and counts nothing twice.
CREATE TABLE consumer_positions (
    topic       TEXT    NOT NULL,
    partition   INTEGER NOT NULL,
    next_offset BIGINT  NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);

-- Every envelope id ingested (audit events and usage records): idempotency by event id across partitions and
-- redeliveries. Retention removes the ids of the rows it drops.
CREATE TABLE ingested_ids (
    id UUID PRIMARY KEY
);
