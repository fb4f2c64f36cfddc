package ai.sovereign.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.store.StoredEvent;
import ai.sovereign.audit.support.AuditService;
import ai.sovereign.audit.support.TestEvents;
import ai.sovereign.audit.support.TestProducer;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * A database superuser changes the trail behind the service's back; {@code GET /api/v1/audit/verify} finds each kind of
 * change and names where. Two chains of {@value #FIRST} + {@value #SECOND} events with signed checkpoints after each
 * batch; every test puts the rows back and the trail verifies again afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TamperEvidenceTest {

    static final int FIRST = 300;
    static final int SECOND = 60;
    static final int CHAINS = 2;

    Path dataDir;
    Path backupDir;
    AuditService service;

    @BeforeAll
    void ingestAndCheckpoint() throws Exception {
        dataDir = Files.createTempDirectory("audit-tamper");
        backupDir = Files.createTempDirectory("audit-tamper-backup");
        service = AuditService.start(
                AuditService.Settings.fresh("tamper", CHAINS, dataDir).with("audit.backup-dir", backupDir.toString()));
        produce(0, FIRST);
        assertThat(service.post("/api/v1/audit/checkpoints", "{}").statusCode()).isEqualTo(200);
        produce(FIRST, FIRST + SECOND);
        assertThat(service.post("/api/v1/audit/checkpoints", "{}").statusCode()).isEqualTo(200);
    }

    private void produce(int from, int to) {
        try (TestProducer producer = new TestProducer()) {
            for (int i = from; i < to; i++) {
                CloudEvent<AuditEvent> event = TestEvents.audit(i);
                producer.send(
                        service.settings().topics().audit(), i % CHAINS, event.partitionKey(), producer.encode(event));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> service.count("SELECT count(*) FROM events") == to);
    }

    @AfterEach
    void trailIsIntactAgain() {
        assertThat(verify().get("status").asString()).isEqualTo("OK");
    }

    @AfterAll
    void stop() {
        service.close();
    }

    private JsonNode verify() {
        return service.getJson("/api/v1/audit/verify");
    }

    private JsonNode brokenLink() {
        JsonNode report = verify();
        assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("BROKEN");
        return report.get("first_break");
    }

    @Test
    void intactTrailVerifiesWithCountsAndSignedCheckpointsVerifyOffline() throws Exception {
        JsonNode report = verify();
        assertThat(report.get("status").asString()).isEqualTo("OK");
        assertThat(report.get("events_checked").asLong()).isEqualTo(FIRST + SECOND);
        assertThat(report.get("checkpoints_checked").asInt()).isEqualTo(2 * CHAINS);
        assertThat(report.get("first_break")).isNull();

        JsonNode page = service.getJson("/api/v1/audit/checkpoints");
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                        .decode(page.get("public_key").get("spki_base64").asString())));
        assertThat(page.get("data")).hasSize(2 * CHAINS);
        for (JsonNode checkpoint : page.get("data")) {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(
                    checkpoint.get("signed_payload").asString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(verifier.verify(Base64.getDecoder()
                            .decode(checkpoint.get("signature").asString())))
                    .isTrue();
            assertThat(checkpoint.get("signed_payload").asString())
                    .contains(checkpoint.get("hash").asString());
        }
        // the newest checkpoint of a chain carries the signature of the one before it
        JsonNode newest = page.get("data").get(0);
        JsonNode older = Stream.iterate(1, i -> i + 1)
                .limit(page.get("data").size() - 1)
                .map(i -> page.get("data").get(i))
                .filter(c -> c.get("chain").asInt() == newest.get("chain").asInt())
                .findFirst()
                .orElseThrow();
        assertThat(newest.get("previous_signature").asString())
                .isEqualTo(older.get("signature").asString());
        // and every checkpoint is also a line in a file under the data directory and the backup directory
        assertThat(checkpointLines(dataDir)).hasSize(2 * CHAINS);
        assertThat(checkpointLines(backupDir)).isEqualTo(checkpointLines(dataDir));
    }

    private static List<String> checkpointLines(Path root) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(root.resolve("checkpoints"))) {
            return files.filter(Files::isRegularFile)
                    .sorted()
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f).stream();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    @Test
    void updateDeleteAndTruncateAreRefusedByTheTrigger() throws Exception {
        try (Connection c = service.superuser();
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE events SET actor = 'x' WHERE seq = 1"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM events WHERE seq = 1"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE events")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE usage_records")).hasMessageContaining("append-only");
        }
        assertThat(service.count("SELECT count(*) FROM events")).isEqualTo(FIRST + SECOND);
    }

    @Test
    void changedRowIsNamedByItsEventId() throws Exception {
        StoredEvent target = row(0, 100);
        try (Connection c = tamperer()) {
            update(c, "UPDATE events SET actor = 'mallory' WHERE chain = 0 AND seq = 100");
            JsonNode broken = brokenLink();
            assertThat(broken.get("kind").asString()).isEqualTo("hash_mismatch");
            assertThat(broken.get("event_id").asString())
                    .isEqualTo(target.entry().id().toString());
            assertThat(broken.get("chain").asInt()).isZero();
            assertThat(broken.get("seq").asLong()).isEqualTo(100);
            assertThat(broken.get("found").asString()).isEqualTo(HashChain.hex(target.hash()));
            assertThat(broken.get("expected").asString())
                    .isNotEqualTo(broken.get("found").asString());
            update(c, "UPDATE events SET actor = '" + target.entry().actor() + "' WHERE chain = 0 AND seq = 100");
        }
    }

    @Test
    void changedRowWithEveryLaterHashRecomputedIsCaughtByTheSignedCheckpoint() throws Exception {
        List<StoredEvent> original = rowsFrom(0, 100);
        long firstCheckpointSeq = FIRST / CHAINS;
        try (Connection c = tamperer()) {
            rewrite(c, original, "mallory");
            JsonNode broken = brokenLink();
            assertThat(broken.get("kind").asString()).isEqualTo("checkpoint_mismatch");
            assertThat(broken.get("chain").asInt()).isZero();
            assertThat(broken.get("seq").asLong()).isEqualTo(firstCheckpointSeq);
            assertThat(broken.get("expected").asString())
                    .isEqualTo(HashChain.hex(original.stream()
                            .filter(e -> e.seq() == firstCheckpointSeq)
                            .findFirst()
                            .orElseThrow()
                            .hash()));

            // rewriting the checkpoint rows too only breaks their signatures
            update(
                    c,
                    "UPDATE checkpoints SET hash = (SELECT hash FROM events WHERE chain = 0 AND seq = "
                            + firstCheckpointSeq + ") WHERE chain = 0 AND seq = " + firstCheckpointSeq);
            broken = brokenLink();
            assertThat(broken.get("kind").asString()).isEqualTo("checkpoint_signature_invalid");
            assertThat(broken.get("seq").asLong()).isEqualTo(firstCheckpointSeq);
            update(
                    c,
                    "UPDATE checkpoints SET hash = decode('"
                            + HashChain.hex(original.stream()
                                    .filter(e -> e.seq() == firstCheckpointSeq)
                                    .findFirst()
                                    .orElseThrow()
                                    .hash())
                            + "', 'hex') WHERE chain = 0 AND seq = " + firstCheckpointSeq);
            restore(c, original);
        }
    }

    @Test
    void deletedRowIsCaughtAsAGap() throws Exception {
        StoredEvent next = row(1, 51);
        try (Connection c = tamperer()) {
            update(c, "CREATE TEMP TABLE saved AS SELECT * FROM events WHERE chain = 1 AND seq = 50");
            update(c, "DELETE FROM events WHERE chain = 1 AND seq = 50");
            JsonNode broken = brokenLink();
            assertThat(broken.get("kind").asString()).isEqualTo("missing_events");
            assertThat(broken.get("chain").asInt()).isEqualTo(1);
            assertThat(broken.get("seq").asLong()).isEqualTo(50);
            assertThat(broken.get("event_id").asString())
                    .isEqualTo(next.entry().id().toString());
            update(c, "INSERT INTO events SELECT * FROM saved");
        }
    }

    @Test
    void deletedNewestRowIsCaughtAgainstTheChainHead() throws Exception {
        long last = (FIRST + SECOND) / CHAINS;
        try (Connection c = tamperer()) {
            update(c, "CREATE TEMP TABLE saved_last AS SELECT * FROM events WHERE chain = 1 AND seq = " + last);
            update(c, "DELETE FROM events WHERE chain = 1 AND seq = " + last);
            JsonNode broken = brokenLink();
            assertThat(broken.get("chain").asInt()).isEqualTo(1);
            assertThat(broken.get("seq").asLong()).isEqualTo(last);
            assertThat(broken.get("kind").asString()).isIn("checkpoint_unmatched", "head_mismatch");
            update(c, "INSERT INTO events SELECT * FROM saved_last");
        }
    }

    @Test
    void twoSwappedRowsAreCaught() throws Exception {
        StoredEvent second = row(1, 61);
        try (Connection c = tamperer()) {
            update(c, "UPDATE events SET seq = -61 WHERE chain = 1 AND seq = 61");
            update(c, "UPDATE events SET seq = 61 WHERE chain = 1 AND seq = 60");
            update(c, "UPDATE events SET seq = 60 WHERE chain = 1 AND seq = -61");
            JsonNode broken = brokenLink();
            assertThat(broken.get("kind").asString()).isEqualTo("prev_hash_mismatch");
            assertThat(broken.get("chain").asInt()).isEqualTo(1);
            assertThat(broken.get("seq").asLong()).isEqualTo(60);
            assertThat(broken.get("event_id").asString())
                    .isEqualTo(second.entry().id().toString());
            update(c, "UPDATE events SET seq = -60 WHERE chain = 1 AND seq = 60");
            update(c, "UPDATE events SET seq = 60 WHERE chain = 1 AND seq = 61");
            update(c, "UPDATE events SET seq = 61 WHERE chain = 1 AND seq = -60");
        }
    }

    @Test
    void deletedCheckpointRowIsCaughtByItsFileCopy() throws Exception {
        try (Connection c = tamperer()) {
            update(
                    c,
                    "CREATE TEMP TABLE saved_checkpoint AS SELECT * FROM checkpoints WHERE chain = 1"
                            + " AND seq = (SELECT max(seq) FROM checkpoints WHERE chain = 1)");
            update(c, "DELETE FROM checkpoints WHERE chain = 1 AND seq = (SELECT seq FROM saved_checkpoint)");
            JsonNode broken = brokenLink();
            assertThat(broken.get("kind").asString()).isEqualTo("checkpoint_missing");
            assertThat(broken.get("chain").asInt()).isEqualTo(1);
            assertThat(broken.get("seq").asLong()).isEqualTo((FIRST + SECOND) / CHAINS);
            update(c, "INSERT INTO checkpoints SELECT * FROM saved_checkpoint");
        }
    }

    @Test
    void verifyOverATimeRangeChecksOnlyTheEventsInIt() {
        // events i = 0..359 are i seconds after BASE: [BASE+100s, BASE+200s) holds 100 of them
        JsonNode report =
                service.getJson("/api/v1/audit/verify?from=" + TestEvents.time(100) + "&to=" + TestEvents.time(200));
        assertThat(report.get("status").asString()).isEqualTo("OK");
        assertThat(report.get("events_checked").asLong()).isEqualTo(100);
        assertThat(service.get("/api/v1/audit/verify?from=yesterday").statusCode())
                .isEqualTo(400);
        assertThat(service.get("/api/v1/audit/verify?from=yesterday").body()).contains("\"param\":\"from\"");
        assertThat(service.get("/api/v1/audit/verify?from=2026-03-02&to=2026-03-01")
                        .body())
                .contains("\"param\":\"to\"");
    }

    /** A superuser session with the append-only triggers off (what an attacker with database access can do). */
    private Connection tamperer() throws SQLException {
        Connection c = service.superuser();
        update(c, "SET session_replication_role = replica");
        return c;
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private StoredEvent row(int chain, long seq) throws SQLException {
        return rowsFrom(chain, seq).getFirst();
    }

    private List<StoredEvent> rowsFrom(int chain, long seq) throws SQLException {
        List<StoredEvent> rows = new ArrayList<>();
        try (Connection c = service.superuser();
                PreparedStatement select = c.prepareStatement(
                        "SELECT " + StoredEvent.COLUMNS + " FROM events WHERE chain = ? AND seq >= ? ORDER BY seq")) {
            select.setInt(1, chain);
            select.setLong(2, seq);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(StoredEvent.read(rs));
                }
            }
        }
        return rows;
    }

    /** Changes the first row's actor and recomputes its hash and every later link, and the chain head. */
    private static void rewrite(Connection c, List<StoredEvent> rows, String actor) throws SQLException {
        byte[] previous = rows.getFirst().prevHash();
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE events SET actor = ?, prev_hash = ?, hash = ? WHERE chain = ? AND seq = ?")) {
            for (int i = 0; i < rows.size(); i++) {
                StoredEvent row = rows.get(i);
                AuditEntry e = row.entry();
                AuditEntry changed = i == 0
                        ? new AuditEntry(
                                e.id(),
                                e.time(),
                                e.type(),
                                e.source(),
                                e.subject(),
                                e.datacontenttype(),
                                actor,
                                e.actorType(),
                                e.tenant(),
                                e.action(),
                                e.resourceType(),
                                e.resourceId(),
                                e.outcome(),
                                e.reason(),
                                e.requestId(),
                                e.clientAddress(),
                                e.details())
                        : e;
                byte[] hash = HashChain.link(previous, changed.canonicalJson());
                update.setString(1, changed.actor());
                update.setBytes(2, previous);
                update.setBytes(3, hash);
                update.setInt(4, row.chain());
                update.setLong(5, row.seq());
                update.addBatch();
                previous = hash;
            }
            update.executeBatch();
        }
        try (PreparedStatement head = c.prepareStatement("UPDATE chain_heads SET last_hash = ? WHERE chain = ?")) {
            head.setBytes(1, previous);
            head.setInt(2, rows.getFirst().chain());
            head.executeUpdate();
        }
    }

    private static void restore(Connection c, List<StoredEvent> rows) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE events SET actor = ?, prev_hash = ?, hash = ? WHERE chain = ? AND seq = ?")) {
            for (StoredEvent row : rows) {
                update.setString(1, row.entry().actor());
                update.setBytes(2, row.prevHash());
                update.setBytes(3, row.hash());
                update.setInt(4, row.chain());
                update.setLong(5, row.seq());
                update.addBatch();
            }
            update.executeBatch();
        }
        try (PreparedStatement head = c.prepareStatement("UPDATE chain_heads SET last_hash = ? WHERE chain = ?")) {
            head.setBytes(1, rows.getLast().hash());
            head.setInt(2, rows.getFirst().chain());
            head.executeUpdate();
        }
    }
}
