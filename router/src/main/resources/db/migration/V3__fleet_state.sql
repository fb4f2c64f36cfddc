-- The operator's fleet state, shared by every router replica: drain, maintenance, forced breaker states and the queue
-- pause. A change is written here and announced with NOTIFY router_fleet_state; every replica reloads the table then
-- (and at start, and after its listening connection comes back).
CREATE TABLE fleet_state (
    kind       TEXT        NOT NULL,
    target     TEXT        NOT NULL,
    state      JSONB       NOT NULL,
    changed_by TEXT        NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, target)
);

-- The live router replicas: each writes its row every 2 s and removes it when it stops; a row older than 6 s is a
-- replica gone. Each server's maxConcurrency is divided among the live replicas.
CREATE TABLE replicas (
    replica_id TEXT PRIMARY KEY,
    seen_at    TIMESTAMPTZ NOT NULL
);
