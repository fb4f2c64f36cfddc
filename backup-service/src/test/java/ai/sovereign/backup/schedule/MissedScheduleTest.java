package ai.sovereign.backup.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sovereign.backup.support.BackupService;
import ai.sovereign.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A daily schedule whose last run is two days old (the service was down at fire time) runs once at start, and only
 * once; a schedule with no history waits for its next fire time.
 */
class MissedScheduleTest {

    @Test
    void aScheduleMissedWhileDownRunsOnceAtStart() throws Exception {
        String url = SharedInfrastructure.postgres().newServiceDatabase("schedule");
        Path root = Files.createTempDirectory("backup-schedule-");
        try (BackupService first = BackupService.start(url, root, Map.of());
                Connection c = first.connect();
                PreparedStatement st = c.prepareStatement(
                        "INSERT INTO backup.backup_runs (id, components, target, location, trigger, status, started_at, finished_at) "
                                + "VALUES ('b-20200101T030000Z-0001', ARRAY['config'], 'filesystem', 'b-20200101T030000Z-0001', 'schedule', 'succeeded', ?, ?)")) {
            Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
            st.setTimestamp(1, Timestamp.from(twoDaysAgo));
            st.setTimestamp(2, Timestamp.from(twoDaysAgo.plusSeconds(5)));
            st.executeUpdate();
        }
        int farHour = (Instant.now().atZone(ZoneOffset.UTC).getHour() + 12) % 24;
        String daily = "0 0 " + farHour + " * * *";
        try (BackupService service = BackupService.start(
                url,
                root,
                Map.of(
                        "backup.schedules.config",
                        daily,
                        "backup.schedules.postgres",
                        daily,
                        "backup.schedule-check-interval",
                        "100ms"))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> scheduledRuns(service, "config").size() == 1);
            String id = scheduledRuns(service, "config").get(0).get("id").asString();
            assertEquals("succeeded", service.awaitFinished(id).get("status").asString());
            Awaitility.await()
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> scheduledRuns(service, "config").size() == 1
                            && scheduledRuns(service, "postgres").isEmpty());
        }
    }

    /** Runs started by the scheduler for {@code component}, excluding the seeded one. */
    private static List<JsonNode> scheduledRuns(BackupService service, String component) {
        return service.call("GET", "/api/v1/backups", null)
                .body()
                .get("data")
                .valueStream()
                .filter(r -> r.get("trigger").asString().equals("schedule")
                        && !r.get("id").asString().startsWith("b-2020"))
                .filter(r -> r.get("components")
                        .valueStream()
                        .anyMatch(c -> c.asString().equals(component)))
                .toList();
    }
}
