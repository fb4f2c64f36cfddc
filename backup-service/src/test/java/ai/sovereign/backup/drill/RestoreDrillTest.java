package ai.sovereign.backup.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.backup.artifact.FileCipher;
import ai.sovereign.backup.run.Components;
import ai.sovereign.backup.run.ContentSummary;
import ai.sovereign.backup.support.BackupService;
import ai.sovereign.backup.support.Fixtures;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.EventPayload;
import ai.sovereign.events.Topics;
import ai.sovereign.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.neo4j.driver.Driver;
import tools.jackson.databind.JsonNode;

/**
 * The drill, through the API on real PostgreSQL, Neo4j and Kafka: fill every store, back up (encrypted), verify,
 * wipe, restore into the original, and find the same content as before, by the service's own hashes and by
 * independent server-side digests; sequences, triggers and indexes work again; every step is on the audit trail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreDrillTest {

    Path root;
    BackupService service;
    Driver neo4j;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("backup-drill-");
        String url = SharedInfrastructure.postgres().newServiceDatabase("drill");
        service = BackupService.start(
                url,
                Files.createDirectories(root.resolve("backups")),
                Map.of("backup.encryption.key", BackupService.KEY));
        neo4j = service.context().getBean(Driver.class);
        try (Connection c = service.connect()) {
            Fixtures.fillPostgres(c);
        }
        neo4j.session().run("MATCH (n) DETACH DELETE n").consume();
        Fixtures.fillGraph(neo4j);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void backupWipeRestoreGivesBackTheSameContentInEveryStore() throws Exception {
        Components components = service.context().getBean(Components.class);
        Map<String, ContentSummary> before = Map.of(
                "postgres",
                components.get("postgres").liveContent(),
                "neo4j",
                components.get("neo4j").liveContent(),
                "config",
                components.get("config").liveContent());
        Map<String, String> pgBefore;
        try (Connection c = service.connect()) {
            pgBefore = Fixtures.postgresDigests(c);
        }
        String graphBefore = Fixtures.graphDigest(neo4j);
        assertEquals(2000L, before.get("postgres").counts().get("shop.orders"));
        assertEquals(1L + 20 + 200 + 30, before.get("neo4j").counts().get("nodes"));

        JsonNode run = service.backup("{\"components\": [\"postgres\", \"neo4j\", \"config\"], \"path\": \"drills\"}");
        assertEquals("succeeded", run.get("status").asString(), run.toString());
        String id = run.get("id").asString();
        JsonNode manifest = run.get("manifest");
        assertEquals(id, manifest.get("runId").asString());
        assertEquals(
                2000,
                manifest.get("components")
                        .get("postgres")
                        .get("counts")
                        .get("shop.orders")
                        .asLong());
        JsonNode pgCounts = manifest.get("components").get("postgres").get("counts");
        assertEquals(
                1200,
                pgCounts.get("audit.events_y2026m01").asLong()
                        + pgCounts.get("audit.events_y2026m02").asLong(),
                "partitions are copied");
        assertEquals(
                25,
                manifest.get("components")
                        .get("config")
                        .get("counts")
                        .get("gateway.api_keys")
                        .asLong());
        assertTrue(manifest.get("components")
                .get("neo4j")
                .get("serverVersion")
                .asString()
                .startsWith("Neo4j"));
        assertTrue(manifest.get("components")
                .get("postgres")
                .get("serverVersion")
                .asString()
                .startsWith("PostgreSQL 17"));
        assertEquals(
                FileCipher.ALGORITHM,
                manifest.get("encryption").get("algorithm").asString());
        for (JsonNode file : manifest.get("files")) {
            Path stored = service.root()
                    .resolve("drills")
                    .resolve(id)
                    .resolve(file.get("name").asString());
            assertEquals(file.get("size").asLong(), Files.size(stored), file.toString());
            assertTrue(file.get("name").asString().endsWith(".zst.enc"));
        }
        assertTrue(Files.exists(service.root().resolve("drills").resolve(id).resolve("manifest.json")));
        String configExport = new String(
                Files.readAllBytes(service.root().resolve("drills").resolve(id).resolve("manifest.json")));
        assertTrue(!configExport.contains("key_hash\":\"\\\\x"), "no key hashes in the manifest");

        BackupService.Reply verify = service.call("POST", "/api/v1/backups/" + id + "/verify", null);
        assertEquals(200, verify.status(), verify.toString());
        assertTrue(verify.body().get("passed").asBoolean(), verify.toString());
        assertEquals(
                "passed",
                service.call("GET", "/api/v1/backups/" + id, null)
                        .body()
                        .get("verify_status")
                        .asString());
        assertNoScratchLeft();

        BackupService.Reply scratch = service.call(
                "POST",
                "/api/v1/backups/" + id + "/restore",
                "{\"target\": \"scratch\", \"components\": [\"postgres\"]}");
        assertEquals(200, scratch.status(), scratch.toString());
        assertTrue(scratch.body().get("passed").asBoolean(), scratch.toString());
        JsonNode scratchSchemas =
                scratch.body().get("results").get("postgres").get("details").get("schemas");
        try (Connection c = service.connect();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM " + scratchSchemas.get("shop").asString() + ".orders")) {
                rs.next();
                assertEquals(2000, rs.getLong(1), "a kept scratch restore can be inspected");
            }
            for (JsonNode schema : scratchSchemas) {
                st.execute("DROP SCHEMA " + schema.asString() + " CASCADE");
            }
        }

        // the disaster
        try (Connection c = service.connect();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA router, gateway, audit, shop CASCADE");
        }
        neo4j.session().run("MATCH (n) DETACH DELETE n").consume();
        assertNotEquals(before.get("neo4j"), components.get("neo4j").liveContent());

        BackupService.Reply unconfirmed =
                service.call("POST", "/api/v1/backups/" + id + "/restore", "{\"target\": \"original\"}");
        assertEquals(400, unconfirmed.status());
        assertEquals("confirm", unconfirmed.body().get("error").get("param").asString());

        BackupService.Reply dryRun = service.call(
                "POST", "/api/v1/backups/" + id + "/restore", "{\"target\": \"original\", \"dry_run\": true}");
        assertEquals(200, dryRun.status(), dryRun.toString());
        assertEquals(
                2000,
                dryRun.body()
                        .get("would_restore")
                        .get("postgres")
                        .get("shop.orders")
                        .asLong());

        // the disaster took the audit trail too: it comes back only when asked for by name, with its own confirmation
        BackupService.Reply restored = service.call(
                "POST",
                "/api/v1/backups/" + id + "/restore",
                "{\"target\": \"original\", \"confirm\": \"" + id + "\", \"protected_schemas\": [\"audit\"],"
                        + " \"confirm_protected\": \"" + id + "/audit\"}");
        assertEquals(200, restored.status(), restored.toString());
        assertTrue(restored.body().get("passed").asBoolean(), restored.toString());

        for (String component : List.of("postgres", "neo4j", "config")) {
            ContentSummary after = components.get(component).liveContent();
            assertEquals(before.get(component), after, component + " content after restore");
        }
        try (Connection c = service.connect()) {
            assertEquals(pgBefore, Fixtures.postgresDigests(c));
        }
        assertEquals(graphBefore, Fixtures.graphDigest(neo4j));
        assertRestoredSchemaWorks();

        String metrics = service.metrics();
        assertTrue(
                metrics.matches(
                        "(?s).*backup_last_success_timestamp_seconds\\{component=\"postgres\"[^\\n]*} 1\\.[0-9]+E9.*"),
                metrics);
        assertTrue(metrics.contains("backup_last_verify_success{component=\"neo4j\""), metrics);
        assertTrue(metrics.contains("restore_duration_seconds_count"), metrics);
        assertAuditTrail(id);
    }

    private void assertRestoredSchemaWorks() throws SQLException {
        try (Connection c = service.connect();
                Statement st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery("INSERT INTO shop.orders (customer, net) VALUES (1, 10) RETURNING id, gross")) {
                rs.next();
                assertEquals(2001, rs.getInt(1), "serial sequence continues after the restored rows");
                assertEquals(0, rs.getBigDecimal(2).compareTo(new java.math.BigDecimal("12.00")));
            }
            try (ResultSet rs =
                    st.executeQuery("INSERT INTO shop.customers (email) VALUES ('new@example.org') RETURNING id")) {
                rs.next();
                assertEquals(301, rs.getLong(1), "identity continues after the restored rows");
            }
            assertThrows(
                    SQLException.class,
                    () -> st.execute("INSERT INTO shop.customers (email) VALUES ('C1@example.org')"),
                    "the expression unique index is back");
            assertThrows(
                    SQLException.class,
                    () -> st.execute("UPDATE audit.events SET action = 'x'"),
                    "the append-only trigger is back");
            assertThrows(
                    SQLException.class,
                    () -> st.execute("INSERT INTO shop.orders (customer, net) VALUES (99999, 1)"),
                    "the foreign key is back");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM shop.paid_orders")) {
                rs.next();
                assertTrue(rs.getLong(1) > 0, "the view is back");
            }
            // restored as the backup login, yet each schema belongs to its owner again, with the owner's grants
            try (ResultSet rs = st.executeQuery("""
                    SELECT string_agg(n.nspname || '=' || pg_get_userbyid(n.nspowner), ',' ORDER BY n.nspname),
                           (SELECT string_agg(DISTINCT pg_get_userbyid(c.relowner), ',') FROM pg_class c
                            WHERE c.relnamespace = 'audit'::regnamespace),
                           has_table_privilege('audit', 'audit.events', 'INSERT'),
                           has_table_privilege('audit', 'audit.events', 'UPDATE'),
                           has_function_privilege('audit', 'audit.month_name(text, date)', 'EXECUTE'),
                           has_function_privilege('gateway', 'audit.month_name(text, date)', 'EXECUTE')
                    FROM pg_namespace n WHERE n.nspname IN ('router', 'gateway', 'audit', 'shop')""")) {
                rs.next();
                assertEquals("audit=audit_owner,gateway=gateway,router=router,shop=ingestion", rs.getString(1));
                assertEquals("audit_owner", rs.getString(2), "every object of the schema belongs to its owner");
                assertTrue(rs.getBoolean(3), "the audit login's INSERT grant is back");
                assertFalse(rs.getBoolean(4), "and nothing more");
                assertTrue(rs.getBoolean(5), "the EXECUTE grant is back");
                assertFalse(rs.getBoolean(6), "and EXECUTE is still taken from everyone else");
            }
        }
    }

    private void assertNoScratchLeft() throws SQLException {
        try (Connection c = service.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'backup_scratch_%'")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "verification leaves no scratch schema");
        }
        assertEquals(
                0,
                neo4j.session()
                        .run(
                                "MATCH (n) WHERE any(l IN labels(n) WHERE l STARTS WITH '__scratch_') RETURN count(n) AS c")
                        .single()
                        .get("c")
                        .asLong(),
                "verification leaves no scratch nodes");
    }

    private void assertAuditTrail(String id) {
        Properties props = new Properties();
        props.putAll(SharedInfrastructure.kafkaOperatorSettings());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "drill-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        EventCodec codec = new EventCodec();
        List<String> actions = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.AUDIT_EVENTS));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    CloudEvent<EventPayload> event = codec.decode(record.value());
                    if (event.data() instanceof AuditEvent a && a.resourceId().equals(id)) {
                        actions.add(a.action());
                        events.add(a);
                    }
                }
                return actions.contains("backup.restore");
            });
        }
        assertTrue(
                actions.containsAll(
                        List.of("backup.create", "backup.verify", "backup.restore.start", "backup.restore")),
                actions.toString());
        assertTrue(actions.indexOf("backup.restore.start") < actions.lastIndexOf("backup.restore"), actions.toString());
        // the scope and the confirmation the operator gave are on record before anything was replaced
        Map<String, Object> start = events.stream()
                .filter(a -> a.action().equals("backup.restore.start"))
                .findFirst()
                .orElseThrow()
                .details();
        assertEquals("original", start.get("target"), start.toString());
        assertEquals(id, start.get("confirm"), start.toString());
        // the drill restores the audit schema too, with its own confirmation
        assertEquals(List.of(), start.get("kept_live"), start.toString());
        assertEquals(List.of("audit"), start.get("protected_schemas_restored"), start.toString());
        assertEquals(id + "/audit", start.get("confirm_protected"), start.toString());
        assertTrue(((List<?>) start.get("components")).contains("postgres"), start.toString());
        Map<String, Object> created = events.stream()
                .filter(a -> a.action().equals("backup.create"))
                .findFirst()
                .orElseThrow()
                .details();
        assertEquals("filesystem", created.get("target"), created.toString());
        assertTrue(created.containsKey("location") && created.containsKey("encryption_key_id"), created.toString());
    }
}
