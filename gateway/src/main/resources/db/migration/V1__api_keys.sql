-- API keys: only a keyed hash (HMAC-SHA256 with the server secret) of each key is stored, never the key.
CREATE TABLE api_keys (
    id                   UUID PRIMARY KEY,
    name                 TEXT        NOT NULL,
    tenant               TEXT        NOT NULL,
    role                 TEXT        NOT NULL CHECK (role IN ('user', 'admin', 'auditor')),
    key_hash             BYTEA       NOT NULL UNIQUE,
    key_prefix           TEXT        NOT NULL,
    allowed_models       TEXT[]      NOT NULL DEFAULT ARRAY['*'],
    rpm                  INTEGER CHECK (rpm IS NULL OR rpm > 0),
    tpm                  INTEGER CHECK (tpm IS NULL OR tpm > 0),
    monthly_token_budget BIGINT CHECK (monthly_token_budget IS NULL OR monthly_token_budget > 0),
    max_concurrent       INTEGER CHECK (max_concurrent IS NULL OR max_concurrent > 0),
    expires_at           TIMESTAMPTZ,
    revoked_at           TIMESTAMPTZ,
    created_by           TEXT        NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at         TIMESTAMPTZ
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant);
