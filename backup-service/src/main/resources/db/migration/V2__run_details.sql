-- Where each run's files are (folder under the target's root), what started it, its progress and size, and the
-- full outcome of its latest verification and restore.
ALTER TABLE backup_runs ADD COLUMN location      TEXT;
ALTER TABLE backup_runs ADD COLUMN trigger       TEXT NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'schedule'));
ALTER TABLE backup_runs ADD COLUMN progress      JSONB NOT NULL DEFAULT '{}';
ALTER TABLE backup_runs ADD COLUMN size_bytes    BIGINT;
ALTER TABLE backup_runs ADD COLUMN verify_result JSONB;
ALTER TABLE backup_runs ADD COLUMN last_restore  JSONB;
UPDATE backup_runs SET location = id WHERE location IS NULL;
ALTER TABLE backup_runs ALTER COLUMN location SET NOT NULL;
