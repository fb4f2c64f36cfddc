package ai.sovereign.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.sovereign.audit.support.AuditService;
import ai.sovereign.audit.support.TestEvents;
import ai.sovereign.audit.support.TestProducer;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the database refuses the consumer's transactions, batches are retried from the same offsets (and /health
 * says so); when it takes them again, every event lands exactly once and the chains verify.
 */
class DatabaseOutageTest {

    static final int BEFORE = 2_000;
    static final int DURING = 3_000;

    @TempDir
    Path dataDir;

    @Test
    void batchesTheDatabaseRefusesAreRetriedUntilItTakesThemAndNothingIsLostOrDoubled() throws Exception {
        AuditService.Settings settings = AuditService.Settings.fresh("outage", 3, dataDir)
                .with("audit.consumer.max-poll-records", 500)
                .with("audit.consumer.max-retry-backoff", "500ms");
        try (AuditService service = AuditService.start(settings);
                TestProducer producer = new TestProducer()) {
            send(service, producer, 0, BEFORE);
            await().atMost(Duration.ofSeconds(30)).until(() -> service.count("SELECT count(*) FROM events") == BEFORE);

            try (Connection c = service.superuser();
                    Statement s = c.createStatement()) {
                s.execute("ALTER TABLE chain_heads RENAME TO chain_heads_away");
            }
            send(service, producer, BEFORE, BEFORE + DURING);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> service.get("/health", null)
                            .body()
                            .matches("(?s).*\"consecutiveFailures\":([3-9]|\\d{2,}).*"));
            assertThat(service.get("/health", null).statusCode()).isEqualTo(503);
            assertThat(service.count("SELECT count(*) FROM events")).isEqualTo(BEFORE);

            try (Connection c = service.superuser();
                    Statement s = c.createStatement()) {
                s.execute("ALTER TABLE chain_heads_away RENAME TO chain_heads");
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> service.count("SELECT count(*) FROM events") == BEFORE + DURING);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> service.get("/health", null).statusCode() == 200);
            assertThat(service.count("SELECT count(DISTINCT id) FROM events")).isEqualTo(BEFORE + DURING);
            assertThat(service.getJson("/api/v1/audit/verify").get("status").asString())
                    .isEqualTo("OK");
            assertThat(service.get("/metrics", null).body()).containsPattern("audit_ingest_failures_total\\{.*} [1-9]");
        }
    }

    private static void send(AuditService service, TestProducer producer, int from, int to) {
        for (int i = from; i < to; i++) {
            CloudEvent<AuditEvent> event = TestEvents.audit(i);
            producer.send(service.settings().topics().audit(), i % 3, event.partitionKey(), producer.encode(event));
        }
        producer.flush();
    }
}
