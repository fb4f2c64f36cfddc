package ai.sovereign.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.sovereign.audit.support.AuditService;
import ai.sovereign.audit.support.TestEvents;
import ai.sovereign.audit.support.TestProducer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without anyone asking, the service signs checkpoints of the chains that advanced and verifies the whole trail. */
class PeriodicCheckpointTest {

    @TempDir
    Path dataDir;

    @Test
    void chainsThatAdvanceAreCheckpointedAndVerifiedOnSchedule() {
        AuditService.Settings settings = AuditService.Settings.fresh("periodic", 2, dataDir)
                .with("audit.checkpoint.interval", "300ms")
                .with("audit.verify.interval", "300ms")
                .with("audit.verify.initial-delay", "300ms");
        try (AuditService service = AuditService.start(settings);
                TestProducer producer = new TestProducer()) {
            for (int i = 0; i < 40; i++) {
                producer.send(settings.topics().audit(), i % 2, "t", producer.encode(TestEvents.audit(i)));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> service.count("SELECT count(*) FROM checkpoints WHERE seq = 20") == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String metrics = service.get("/metrics", null).body();
                return metrics.matches("(?s).*audit_chain_verified\\{[^}]*} 1\\.0.*")
                        && metrics.matches("(?s).*audit_last_checkpoint_timestamp_seconds\\{[^}]*} 1\\.\\d+E9.*");
            });
            // a chain that did not advance gets no new checkpoint
            long checkpoints = service.count("SELECT count(*) FROM checkpoints");
            await().during(Duration.ofMillis(900))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> service.count("SELECT count(*) FROM checkpoints") == checkpoints);
            assertThat(service.count("SELECT count(*) FROM (SELECT chain FROM checkpoints GROUP BY chain"
                            + " HAVING max(seq) = 20) latest"))
                    .isEqualTo(2);
        }
    }
}
