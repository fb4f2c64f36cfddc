CREATE SCHEMA IF NOT EXISTS probe;
CREATE TABLE probe.greeting (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);
INSERT INTO probe.greeting (text) VALUES ('hello from flyway');
