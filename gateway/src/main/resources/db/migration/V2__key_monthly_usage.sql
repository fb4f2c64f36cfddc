-- Tokens used per key and calendar month (UTC), for the monthly token budget. Written by the gateway as responses end.
CREATE TABLE key_monthly_usage (
    key_id  UUID   NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    month   DATE   NOT NULL,
    tokens  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, month)
);
