-- Signed checkpoints of each chain. The signature covers (chain, seq, hash, signed_at, previous_signature, key_id);
-- the Ed25519 private key never enters the database, and every checkpoint is also written to files.
CREATE TABLE checkpoints (
    chain              INTEGER     NOT NULL,
    seq                BIGINT      NOT NULL,
    hash               BYTEA       NOT NULL,
    signed_at          TIMESTAMPTZ NOT NULL,
    previous_signature BYTEA,
    key_id             TEXT        NOT NULL,
    signature          BYTEA       NOT NULL,
    PRIMARY KEY (chain, seq)
);

-- One row per partition removed by retention: where its rows went and the hash of that file, and for the events
-- table the last link of each chain that was removed (the anchor the first remaining event continues from).
CREATE TABLE retention_exports (
    id             BIGSERIAL PRIMARY KEY,
    table_name     TEXT        NOT NULL,
    partition_name TEXT        NOT NULL,
    range_from     TIMESTAMPTZ NOT NULL,
    range_to       TIMESTAMPTZ NOT NULL,
    row_count      BIGINT      NOT NULL,
    file           TEXT        NOT NULL,
    sha256         TEXT        NOT NULL,
    bytes          BIGINT      NOT NULL,
    chain_anchors  JSONB       NOT NULL DEFAULT '[]',
    dropped_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    dropped_by     TEXT        NOT NULL
);
