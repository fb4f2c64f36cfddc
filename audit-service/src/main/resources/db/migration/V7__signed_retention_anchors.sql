-- The chain anchors a retention drop records are signed with the checkpoint key (RetentionAnchors): a row inserted or
-- changed by anyone without the private key, which never enters the database, makes /verify fail naming the chain.
ALTER TABLE retention_exports ADD COLUMN anchors_key_id TEXT, ADD COLUMN anchors_signature BYTEA;
