package ai.sovereign.backup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sovereign.backup.catalog.BackupRun;
import ai.sovereign.backup.retention.RetentionResult;
import ai.sovereign.backup.run.RestoreReport;
import ai.sovereign.backup.run.VerifyReport;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers keep the shape they had as maps: a field without a value is {@code null} and an empty list is
 * {@code []} (micronaut-serde would leave both out of a record), and the fields of the other kind of restore report
 * are left out. Reports kept in the catalog are written by Jackson and must read the same.
 */
class BackupAnswersJsonTest {

    private final ObjectMapper serde = ObjectMapper.getDefault();
    private final JsonMapper jackson = JsonMapper.builder().build();

    @Test
    void aRunningBackupShowsItsMissingValuesAsNull() throws IOException {
        BackupRun run = new BackupRun(
                "b-1",
                List.of("postgres"),
                "filesystem",
                "b-1",
                "manual",
                BackupRun.Status.RUNNING,
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                "{}",
                null,
                null,
                null,
                null,
                null);
        String listed = "{\"id\":\"b-1\",\"object\":\"backup\",\"status\":\"running\",\"components\":[\"postgres\"],"
                + "\"target\":\"filesystem\",\"location\":\"b-1\",\"trigger\":\"manual\",\"started_at\":\"2026-01-01T00:00:00Z\","
                + "\"finished_at\":null,\"size_bytes\":null,\"error\":null,\"verify_status\":null,\"verified_at\":null,\"progress\":{}";
        BackupView view = BackupView.of(run, Map.of());
        assertEquals(listed + "}", serde.writeValueAsString(view));
        assertEquals(
                listed + ",\"manifest\":null,\"verify_result\":null,\"last_restore\":null}",
                serde.writeValueAsString(new BackupDetail(view, null, null, null)));
        assertEquals("{\"object\":\"list\",\"data\":[]}", serde.writeValueAsString(BackupList.of(List.of())));
    }

    @Test
    void reportsKeepEmptyListsAndLeaveOutWhatDidNotHappen() throws IOException {
        Map<String, VerifyReport.ComponentCheck> checks = new LinkedHashMap<>();
        checks.put("postgres", new VerifyReport.ComponentCheck(true, Map.of("t", 1L), List.of(), null));
        checks.put("neo4j", new VerifyReport.ComponentCheck(false, null, null, "boom"));
        VerifyReport verify = new VerifyReport("b-1", 3, false, List.of(), checks, "2026-01-01T00:00:00Z");
        String verifyJson = "{\"id\":\"b-1\",\"files_checked\":3,\"passed\":false,\"file_problems\":[],\"components\":{"
                + "\"postgres\":{\"passed\":true,\"counts\":{\"t\":1},\"differences\":[]},\"neo4j\":{\"passed\":false,\"error\":\"boom\"}},"
                + "\"verified_at\":\"2026-01-01T00:00:00Z\"}";
        assertEquals(verifyJson, serde.writeValueAsString(verify));
        assertEquals(verifyJson, jackson.writeValueAsString(verify));

        RestoreReport plan = new RestoreReport(
                "b-1",
                "scratch",
                List.of("postgres"),
                true,
                "all checksums match",
                Map.of("postgres", Map.of("t", 1L)),
                null,
                null,
                null,
                null);
        assertEquals(
                "{\"id\":\"b-1\",\"target\":\"scratch\",\"components\":[\"postgres\"],\"dry_run\":true,"
                        + "\"files_checked\":\"all checksums match\",\"would_restore\":{\"postgres\":{\"t\":1}}}",
                serde.writeValueAsString(plan));
        RestoreReport done = new RestoreReport(
                "b-1",
                "scratch",
                List.of("postgres"),
                null,
                null,
                null,
                false,
                5L,
                Map.of("postgres", new RestoreReport.ComponentRestore(false, null, null, null, null, "boom")),
                "2026-01-01T00:00:05Z");
        String doneJson =
                "{\"id\":\"b-1\",\"target\":\"scratch\",\"components\":[\"postgres\"],\"passed\":false,\"duration_ms\":5,"
                        + "\"results\":{\"postgres\":{\"restored\":false,\"error\":\"boom\"}},\"finished_at\":\"2026-01-01T00:00:05Z\"}";
        assertEquals(doneJson, serde.writeValueAsString(done));
        assertEquals(doneJson, jackson.writeValueAsString(done));
    }

    @Test
    void aRetentionDryRunShowsEmptyLists() throws IOException {
        RetentionResult result = new RetentionResult(
                true, new RetentionResult.Policy(7, 4, 12, "PT24H"), Map.of(), List.of(), List.of(), List.of());
        assertEquals(
                "{\"dry_run\":true,\"policy\":{\"keep_daily\":7,\"keep_weekly\":4,\"keep_monthly\":12,\"min_age\":\"PT24H\"},"
                        + "\"keep\":{},\"delete\":[],\"deleted\":[],\"errors\":[]}",
                serde.writeValueAsString(result));
        assertEquals(
                "{\"id\":\"b-1\",\"object\":\"backup\",\"deleted\":true}",
                serde.writeValueAsString(DeletedBackup.of("b-1")));
    }
}
