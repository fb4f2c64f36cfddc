-- Where the raw bytes of an upload are kept (under the data directory) until the source is deleted.
ALTER TABLE sources ADD COLUMN storage_path TEXT;
CREATE INDEX sources_tenant_created_idx ON sources (tenant, created_at DESC, id);
