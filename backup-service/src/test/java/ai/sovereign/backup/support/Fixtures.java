package ai.sovereign.backup.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

/**
 * Service-like data for drills, owned as in production (DatabaseRoles: the database must come from
 * newServiceDatabase, whose service schemas exist and belong to their owners; {@code shop} belongs to ingestion): schemas shaped like the platform's (router config versions, gateway API keys, a
 * partitioned append-only audit trail with trigger functions, and a schema using enum types, identity, serial and
 * generated columns, foreign keys, expression indexes and a view), and a knowledge graph shaped like ingestion's.
 * Digests here are computed independently of the code under test: by the server over sorted row text, and by Cypher.
 */
public final class Fixtures {

    public static final List<String> SCHEMAS = List.of("router", "gateway", "audit", "shop");

    private Fixtures() {}

    public static void fillPostgres(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    SET ROLE router;
                    CREATE TABLE router.config_versions (
                        version    INTEGER PRIMARY KEY CHECK (version >= 1),
                        document   JSONB       NOT NULL,
                        author     TEXT        NOT NULL,
                        change     TEXT        NOT NULL,
                        created_at TIMESTAMPTZ NOT NULL DEFAULT now());
                    INSERT INTO router.config_versions (version, document, author, change)
                      SELECT v, jsonb_build_object('queue', jsonb_build_object('maxSize', v * 10), 'servers', jsonb_build_array('gpu-' || v)), 'ops', 'change ' || v
                      FROM generate_series(1, 12) v;
                    RESET ROLE;

                    SET ROLE gateway;
                    CREATE TABLE gateway.api_keys (
                        id UUID PRIMARY KEY, name TEXT NOT NULL, tenant TEXT NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('user', 'admin', 'auditor')),
                        key_hash BYTEA NOT NULL UNIQUE, key_prefix TEXT NOT NULL,
                        allowed_models TEXT[] NOT NULL DEFAULT ARRAY['*'], rpm INTEGER CHECK (rpm IS NULL OR rpm > 0),
                        expires_at TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
                    CREATE INDEX api_keys_tenant_idx ON gateway.api_keys (tenant);
                    INSERT INTO gateway.api_keys (id, name, tenant, role, key_hash, key_prefix, allowed_models, rpm)
                      SELECT md5('k' || i)::uuid, 'key ' || i, 'tenant-' || (i % 3), (ARRAY['user','admin','auditor'])[1 + i % 3],
                             sha256(('secret-' || i)::bytea), 'sk-' || i, ARRAY['llama3.1:8b', 'm' || i], CASE WHEN i % 2 = 0 THEN 60 END
                      FROM generate_series(1, 25) i;
                    RESET ROLE;

                    SET ROLE audit_owner;
                    SET search_path = audit;
                    CREATE TABLE dead_letters (id BIGSERIAL PRIMARY KEY, topic TEXT NOT NULL, raw BYTEA, reason TEXT NOT NULL,
                        received_at TIMESTAMPTZ NOT NULL DEFAULT now(), UNIQUE (topic, reason));
                    CREATE TABLE events (id UUID NOT NULL, chain INTEGER NOT NULL, seq BIGINT NOT NULL, received_at TIMESTAMPTZ NOT NULL,
                        action TEXT NOT NULL, details JSONB NOT NULL, hash BYTEA NOT NULL, PRIMARY KEY (id, received_at)) PARTITION BY RANGE (received_at);
                    CREATE TABLE events_y2026m01 PARTITION OF events FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00');
                    CREATE TABLE events_y2026m02 PARTITION OF events FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00');
                    CREATE INDEX events_chain_seq ON events (chain, seq);
                    CREATE INDEX events_request ON events ((details->>'request')) WHERE details ? 'request';
                    CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        RAISE EXCEPTION '% on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
                    END
                    $$;
                    CREATE FUNCTION month_name(parent TEXT, d DATE) RETURNS TEXT LANGUAGE sql STABLE SET search_path FROM CURRENT
                      AS $$ SELECT parent || '_' || to_char(d, '"y"YYYY"m"MM') $$;
                    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION refuse_change();
                    CREATE TRIGGER events_y2026m01_no_truncate BEFORE TRUNCATE ON events_y2026m01 FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
                    INSERT INTO events SELECT md5('e' || i)::uuid, i % 4, i, timestamptz '2026-01-01' + i * interval '1 hour', 'action.' || (i % 7),
                        jsonb_build_object('request', 'req-' || i, 'n', i, 'text', E'tab\\there "quoted" ünïcode ' || i), sha256(('h' || i)::bytea)
                      FROM generate_series(1, 1200) i;
                    INSERT INTO dead_letters (topic, raw, reason) SELECT 'audit.events.v1', decode(md5('r' || i), 'hex'), E'bad\\nline ' || i
                      FROM generate_series(1, 40) i;
                    GRANT USAGE ON SCHEMA audit TO audit;
                    GRANT SELECT, INSERT ON events TO audit;
                    REVOKE ALL ON FUNCTION month_name(TEXT, DATE) FROM PUBLIC;
                    GRANT EXECUTE ON FUNCTION month_name(TEXT, DATE) TO audit;
                    RESET search_path;
                    RESET ROLE;

                    CREATE SCHEMA shop AUTHORIZATION ingestion;
                    SET ROLE ingestion;
                    CREATE TYPE shop.state AS ENUM ('new', 'paid', 'shipped');
                    CREATE TABLE shop.customers (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email TEXT NOT NULL, nick TEXT);
                    CREATE UNIQUE INDEX customers_email_lower ON shop.customers (lower(email));
                    CREATE TABLE shop.orders (id SERIAL PRIMARY KEY, customer BIGINT NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE,
                        state shop.state NOT NULL DEFAULT 'new', net NUMERIC(12, 2) NOT NULL, gross NUMERIC(12, 2) GENERATED ALWAYS AS (net * 1.2) STORED,
                        tags TEXT[], placed DATE);
                    CREATE VIEW shop.paid_orders AS SELECT id, customer, gross FROM shop.orders WHERE state = 'paid';
                    INSERT INTO shop.customers (email, nick) SELECT 'c' || i || '@example.org', CASE WHEN i % 5 = 0 THEN NULL ELSE E'nick\\\\' || i END
                      FROM generate_series(1, 300) i;
                    INSERT INTO shop.orders (customer, state, net, tags, placed)
                      SELECT 1 + i % 300, (ARRAY['new','paid','shipped'])[1 + i % 3]::shop.state, (i * 3.17)::numeric(12, 2),
                             ARRAY['t' || (i % 4), 'x'], date '2026-01-01' + i % 60
                      FROM generate_series(1, 2000) i;
                    RESET ROLE;
                    """);
        }
    }

    /** Per table: row count and md5 of the sorted row texts, computed by the server. */
    public static Map<String, String> postgresDigests(Connection c) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Statement st = c.createStatement()) {
            List<String> tables = new java.util.ArrayList<>();
            try (ResultSet rs = st.executeQuery(
                    "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname = ANY(ARRAY['router','gateway','audit','shop'])")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM "
                                + table + " t")) {
                    rs.next();
                    out.put(table, rs.getString(1));
                }
            }
        }
        return out;
    }

    public static void fillGraph(Driver driver) {
        try (Session session = driver.session()) {
            session.run("""
                    UNWIND range(1, 20) AS s
                    CREATE (src:Source {id: 'src-' + s, tenant: 't' + (s % 2), title: 'Doc ' + s, pages: s, score: s / 3.0,
                                        uploaded: datetime('2026-01-0' + (1 + s % 9) + 'T10:00:00Z'), day: date('2026-02-01'), raw: null, flags: [true, false]})
                    WITH src, s
                    UNWIND range(1, 10) AS c
                    CREATE (src)-[:HAS_CHUNK {ord: c}]->(:Chunk {id: 'src-' + s + '-' + c, tenant: src.tenant, text: 'chunk ' + c + ' of ' + s,
                                                                embedding: [c * 0.5, s * 0.25, -1.0]})
                    """).consume();
            session.run("""
                    MATCH (a:Chunk), (b:Chunk) WHERE a.id STARTS WITH 'src-' AND b.id = a.id + '0' CREATE (a)-[:NEXT]->(b)
                    """).consume();
            session.run("""
                    UNWIND range(1, 30) AS e
                    CREATE (:Entity:Person {name: 'person ' + e, tenant: 't' + (e % 2), aliases: ['p' + e, 'P' + e], born: localdatetime('2000-01-01T00:00:00') + duration({days: e})})
                    """).consume();
            session.run("""
                    MATCH (c:Chunk), (p:Entity) WHERE toInteger(split(c.id, '-')[2]) = toInteger(split(p.name, ' ')[1]) % 10 + 1
                    CREATE (c)-[:MENTIONS {weight: 0.5}]->(p)
                    """).consume();
            session.run("""
                    MATCH (a:Entity), (b:Entity) WHERE toInteger(split(b.name, ' ')[1]) = toInteger(split(a.name, ' ')[1]) + 1
                    CREATE (a)-[:RELATED {type: 'knows', since: date('2020-01-01')}]->(b)
                    """).consume();
            session.run("CREATE (:Lonely)").consume();
        }
    }

    /** Counts and a digest of the graph's content read by Cypher into Java, independent of the backup code (ids excluded). */
    public static String graphDigest(Driver driver) {
        try (Session session = driver.session()) {
            List<String> nodes = session.run("""
                    MATCH (n) WHERE NOT any(l IN labels(n) WHERE l STARTS WITH '__scratch_') RETURN labels(n) AS l, properties(n) AS p
                    """)
                    .list(r -> new TreeSet<>(r.get("l").asList()) + " "
                            + describe(r.get("p").asMap()));
            List<String> rels = session.run("""
                    MATCH (a)-[r]->(b) WHERE NOT any(l IN labels(a) WHERE l STARTS WITH '__scratch_')
                    RETURN type(r) AS t, properties(r) AS p, properties(a) AS a, properties(b) AS b
                    """)
                    .list(r -> r.get("t").asString() + describe(r.get("p").asMap())
                            + describe(r.get("a").asMap()) + ">"
                            + describe(r.get("b").asMap()));
            return nodes.size() + " nodes " + nodes.stream().sorted().toList().hashCode() + " / " + rels.size()
                    + " relationships " + rels.stream().sorted().toList().hashCode();
        }
    }

    private static String describe(Map<String, Object> properties) {
        Map<String, String> sorted = new TreeMap<>();
        properties.forEach((k, v) -> sorted.put(
                k,
                v instanceof byte[] b
                        ? java.util.Arrays.toString(b)
                        : v.getClass().getSimpleName() + ":" + v));
        return sorted.toString();
    }
}
