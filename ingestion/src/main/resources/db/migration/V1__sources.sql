-- Uploaded sources and their pipeline state; vectors live in the vector store and the graph in Neo4j.
CREATE TABLE sources (
    id             UUID PRIMARY KEY,
    tenant         TEXT        NOT NULL,
    name           TEXT        NOT NULL,
    content_type   TEXT        NOT NULL,
    content_hash   TEXT        NOT NULL,
    size_bytes     BIGINT      NOT NULL CHECK (size_bytes >= 0),
    status         TEXT        NOT NULL CHECK (status IN ('queued', 'parsing', 'chunking', 'embedding', 'storing', 'ready', 'failed')),
    failure_reason TEXT,
    chunk_count    INTEGER     NOT NULL DEFAULT 0,
    entity_count   INTEGER     NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tenant, content_hash)
);
CREATE INDEX sources_tenant_name_idx ON sources (tenant, name);
