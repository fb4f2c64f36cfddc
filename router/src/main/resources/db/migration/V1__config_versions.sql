-- The routing configuration as a versioned document: every change is a new row; rollback writes a new version.
CREATE TABLE config_versions (
    version    INTEGER PRIMARY KEY CHECK (version >= 1),
    document   JSONB       NOT NULL,
    author     TEXT        NOT NULL,
    change     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
