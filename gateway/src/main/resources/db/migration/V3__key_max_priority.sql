-- The highest router priority a key's requests get (X-Priority is capped to it); NULL: the role's default (admin 9,
-- user and auditor 0).
ALTER TABLE api_keys ADD COLUMN max_priority INTEGER CHECK (max_priority IS NULL OR max_priority BETWEEN 0 AND 9);
