package ai.sovereign.audit.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.support.AuditService;
import ai.sovereign.audit.support.MovableClock;
import ai.sovereign.audit.support.TestEvents;
import ai.sovereign.audit.support.TestProducer;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.signing.SigningKey;
import com.github.luben.zstd.ZstdInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Retention removes whole months only: rows received in a month past the policy are exported to a zstd JSONL archive
 * whose SHA-256 is recorded, the partition is dropped, the drop is itself an audit event, and the shortened chains
 * still verify from where the dropped events ended.
 */
class RetentionTest {

    static final int OLD = 90;
    static final int RECENT = 30;
    static final int CHAINS = 2;

    @TempDir
    Path dataDir;

    @Test
    void expiredMonthsAreArchivedThenDroppedAndTheTrailStillVerifies() throws Exception {
        try (AuditService service = AuditService.start(AuditService.Settings.fresh("retention", CHAINS, dataDir));
                TestProducer producer = new TestProducer()) {
            MovableClock clock = service.context().getBean(MovableClock.class);
            clock.set(Instant.now().minus(Duration.ofDays(500)));
            send(service, producer, 0, OLD);
            producer.send(service.settings().topics().usage(), TestEvents.usage(1));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> service.count("SELECT count(*) FROM events") == OLD
                            && service.count("SELECT count(*) FROM usage_records") == 1);
            service.post("/api/v1/audit/checkpoints", "{}");
            clock.reset();
            send(service, producer, OLD, OLD + RECENT);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> service.count("SELECT count(*) FROM events") == OLD + RECENT);
            service.post("/api/v1/audit/checkpoints", "{}");

            // a dry run lists the expired months (the one written to and the one created ahead of it) and drops nothing
            var dry = service.post("/api/v1/audit/retention/apply", "{\"dry_run\": true}", service.token(Role.ADMIN));
            assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
            JsonNode plan = AuditService.JSON.readTree(dry.body());
            assertThat(plan.get("dry_run").asBoolean()).isTrue();
            assertThat(plan.get("partitions").findValues("rows").stream()
                            .mapToLong(JsonNode::asLong)
                            .sum())
                    .isEqualTo(OLD + 1);
            assertThat(plan.get("partitions").findValues("table").stream()
                            .map(JsonNode::asString)
                            .distinct())
                    .containsExactlyInAnyOrder("events", "usage_records");
            assertThat(service.count("SELECT count(*) FROM events")).isEqualTo(OLD + RECENT);

            // auditors may not apply it
            assertThat(service.post("/api/v1/audit/retention/apply", "{\"dry_run\": false}")
                            .statusCode())
                    .isEqualTo(403);
            assertThat(service.post("/api/v1/audit/retention/apply", "{\"dry_run\": \"no\"}", service.token(Role.ADMIN))
                            .body())
                    .contains("\"param\":\"dry_run\"");

            var applied =
                    service.post("/api/v1/audit/retention/apply", "{\"dry_run\": false}", service.token(Role.ADMIN));
            assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
            JsonNode report = AuditService.JSON.readTree(applied.body());
            assertThat(report.path("warnings").size()).as("warnings").isZero();
            JsonNode events = null;
            for (JsonNode removal : report.get("partitions")) {
                assertThat(removal.get("dropped").asBoolean()).isTrue();
                Path file = Path.of(removal.get("file").asString());
                assertThat(HashChain.hex(HashChain.sha256().digest(Files.readAllBytes(file))))
                        .isEqualTo(removal.get("sha256").asString());
                if (removal.get("table").asString().equals("events")
                        && removal.get("rows").asLong() > 0) {
                    events = removal;
                    List<String> lines = lines(file);
                    assertThat(lines).hasSize(OLD);
                    assertThat(AuditService.JSON
                                    .readTree(lines.getFirst())
                                    .get("seq")
                                    .asLong())
                            .isEqualTo(1);
                }
            }
            assertThat(events).isNotNull();
            assertThat(service.count("SELECT count(*) FROM usage_records")).isZero();
            assertThat(service.count("SELECT count(*) FROM events WHERE received_at < now() - interval '400 days'"))
                    .isZero();

            // each drop is an audit event in the trail it shortened
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> service.getJson("/api/v1/audit/events?action=audit.retention.drop")
                                    .get("data")
                                    .size()
                            == report.get("partitions").size());
            JsonNode drop = service.getJson("/api/v1/audit/events?action=audit.retention.drop&resource_id="
                            + events.get("partition").asString())
                    .get("data")
                    .get(0);
            assertThat(drop.get("details").get("sha256").asString())
                    .isEqualTo(events.get("sha256").asString());
            assertThat(drop.get("actor").asString()).isEqualTo("test-admin");

            JsonNode verify = service.getJson("/api/v1/audit/verify");
            assertThat(verify.get("status").asString()).as(verify.toString()).isEqualTo("OK");
            assertThat(verify.get("events_checked").asLong())
                    .isEqualTo(RECENT + report.get("partitions").size());

            // removing the first remaining event now shows as a gap after the retention anchor
            try (var c = service.superuser();
                    var s = c.createStatement()) {
                s.execute("SET session_replication_role = replica");
                s.execute("DELETE FROM events WHERE chain = 0 AND seq = (SELECT min(seq) FROM events WHERE chain = 0)");
            }
            assertThat(service.getJson("/api/v1/audit/verify")
                            .get("first_break")
                            .get("kind")
                            .asString())
                    .isEqualTo("missing_events");
        }
    }

    @Test
    void aRetentionRecordNotSignedByTheCheckpointKeyBreaksVerificationNamingTheChain() throws Exception {
        try (AuditService service = AuditService.start(AuditService.Settings.fresh("forged", CHAINS, dataDir));
                TestProducer producer = new TestProducer()) {
            send(service, producer, 0, 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> service.count("SELECT count(*) FROM events") == 20);
            service.post("/api/v1/audit/checkpoints", "{}");
            assertThat(service.getJson("/api/v1/audit/verify").get("status").asString())
                    .isEqualTo("OK");

            // a database superuser deletes the start of chain 0 and records it as a retention drop, as the service
            // would: the anchor is the real hash of the last deleted event, so every remaining link still holds
            try (var c = service.superuser();
                    var s = c.createStatement()) {
                String hash;
                try (var rs = s.executeQuery("SELECT encode(hash, 'hex') FROM events WHERE chain = 0 AND seq = 5")) {
                    rs.next();
                    hash = rs.getString(1);
                }
                s.execute("SET session_replication_role = replica");
                s.execute("DELETE FROM events WHERE chain = 0 AND seq <= 5");
                s.execute("INSERT INTO retention_exports (table_name, partition_name, range_from, range_to, row_count,"
                        + " file, sha256, bytes, chain_anchors, dropped_by) VALUES ('events', 'events_y2020m01',"
                        + " '2020-01-01', '2020-02-01', 5, '/dev/null', '00', 0, '[{\"chain\":0,\"seq\":5,\"hash\":\""
                        + hash + "\"}]', 'attacker')");
            }
            JsonNode verify = service.getJson("/api/v1/audit/verify");
            assertThat(verify.get("status").asString()).as(verify.toString()).isEqualTo("BROKEN");
            JsonNode first = verify.get("first_break");
            assertThat(first.get("kind").asString()).isEqualTo("anchor_signature_invalid");
            assertThat(first.get("chain").asInt()).isZero();
            assertThat(first.get("message").asString())
                    .contains("events_y2020m01")
                    .contains("not signed");

            // signed, but not by a key the service trusts
            try (var c = service.superuser();
                    var s = c.createStatement()) {
                var stranger = SigningKey.generate();
                byte[] signature = stranger.sign(ai.sovereign.audit.retention.RetentionAnchors.payload(
                        "events",
                        "events_y2020m01",
                        List.of(new ai.sovereign.audit.retention.RetentionAnchors.Anchor(0, 5, new byte[32]))));
                try (var update = c.prepareStatement("UPDATE retention_exports SET anchors_key_id = ?,"
                        + " anchors_signature = ? WHERE partition_name = 'events_y2020m01'")) {
                    update.setString(1, stranger.keyId());
                    update.setBytes(2, signature);
                    update.executeUpdate();
                }
            }
            assertThat(service.getJson("/api/v1/audit/verify")
                            .get("first_break")
                            .get("kind")
                            .asString())
                    .isEqualTo("anchor_signature_invalid");
        }
    }

    private static void send(AuditService service, TestProducer producer, int from, int to) {
        for (int i = from; i < to; i++) {
            CloudEvent<AuditEvent> event = TestEvents.audit(i);
            producer.send(
                    service.settings().topics().audit(), i % CHAINS, event.partitionKey(), producer.encode(event));
        }
        producer.flush();
    }

    private static List<String> lines(Path zst) throws Exception {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(zst))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
